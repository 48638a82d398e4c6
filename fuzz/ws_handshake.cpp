// This file shows:
//  - fuzzing lab 09's handshake parser against its own promises: a complete head consumed at most
//    max_bytes and at most max_fields lines; the same head cut just after its empty line parses
//    to the same result; every shorter prefix is "need more" or an error, never "complete";
//  - the upgrade checks run on whatever parsed, and an accepted request always yields a 101 whose
//    Sec-WebSocket-Accept the client-side check agrees with, and had Host, Sec-WebSocket-Key and
//    Sec-WebSocket-Version exactly once.
//
// Input: byte 0 picks the limits, the rest is the request (or, with byte 0 odd, a response).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "09_websocket/protocol/http_head.hpp"
#include "09_websocket/protocol/upgrade.hpp"

namespace {

namespace ws = netlab::websocket;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    ws::HeadLimits limits;
    limits.max_bytes = 64 + static_cast<std::size_t>(data[0] >> 1) * 16;
    limits.max_fields = 1 + (data[0] & 0x0F);
    const bool response = (data[0] & 1) != 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto parse = [&](std::string_view bytes) {
        return response ? ws::parse_response_head(bytes, limits) : ws::parse_request_head(bytes, limits);
    };

    const ws::HeadResult whole = parse(input);
    if (whole.status == netlab::ParseStatus::need_more) {
        require(input.size() < limits.max_bytes);
        return 0;
    }
    if (whole.status == netlab::ParseStatus::error) {
        require(whole.http_status >= 400 && whole.http_status <= 505 && !whole.error.empty());
        return 0;
    }
    require(whole.consumed <= limits.max_bytes && whole.consumed <= input.size());
    require(whole.head.fields.size() <= limits.max_fields);
    const ws::HeadResult exact = parse(input.substr(0, whole.consumed));
    require(exact.status == netlab::ParseStatus::complete && exact.consumed == whole.consumed);
    for (std::size_t n = 0; n < whole.consumed; n += 1 + n / 8) {
        require(parse(input.substr(0, n)).status != netlab::ParseStatus::complete);
    }
    if (response) {
        (void)ws::check_upgrade_response(whole.head, "dGhlIHNhbXBsZSBub25jZQ==");
        return 0;
    }
    const ws::UpgradeCheck check = ws::check_upgrade_request(whole.head);
    if (!check) {
        require(check.http_status == 400 || check.http_status == 405 || check.http_status == 426);
        return 0;
    }
    require(check.key.size() == 24 && !check.path.empty() && check.path.front() == '/');
    require(whole.head.count("Host") == 1 && whole.head.count("Sec-WebSocket-Key") == 1 &&
            whole.head.count("Sec-WebSocket-Version") == 1);  // fields that must not repeat
    const ws::HeadResult reply = ws::parse_response_head(ws::upgrade_response(check.key));
    require(reply.status == netlab::ParseStatus::complete &&
            ws::check_upgrade_response(reply.head, check.key).empty());
    return 0;
}
