// This file shows:
//  - a route table as a chain of prefix tests, each handing its argument to one function;
//  - bounded memory for any body size: /bytes makes 64 KiB at a time and sends it before making
//    the next; the connection's send blocks while the client is slow, which is the backpressure;
//  - waiting without a timer thread: ReplyChannel::pause returns early when the client hangs up.

#include "routes.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>

namespace netlab::http_peer {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kMaxDelayMillis = 60000;
constexpr std::uint64_t kMaxChunks = 10000;
constexpr std::uint64_t kMaxIntervalMillis = 1000;
constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 30;
constexpr std::uint64_t kMaxRedirects = 100;
constexpr std::uint64_t kMaxPadding = 1 << 20;
constexpr std::size_t kMaxHexBytes = 1024;
constexpr std::size_t kBytesPiece = 64 * 1024;
constexpr std::size_t kCutDeclared = 1000;
constexpr std::size_t kCutSent = 100;

/// The rest of path after prefix, if path starts with it.
std::optional<std::string_view> after(std::string_view path, std::string_view prefix) {
    if (!path.starts_with(prefix)) {
        return std::nullopt;
    }
    return path.substr(prefix.size());
}

AfterReply after_sending(bool sent, ReplyMode mode) {
    return sent && !mode.close ? AfterReply::keep_open : AfterReply::close;
}

AfterReply text(ReplyChannel& channel, ReplyMode mode, int status, std::string_view body,
                const Fields& extra = {}) {
    return after_sending(send_text(channel, mode, status, body, extra), mode);
}

AfterReply echo(const Request& request, ReplyChannel& channel, ReplyMode mode) {
    if (request.head.method != "POST") {
        return text(channel, mode, 405, "POST a body to /echo\n", {{"Allow", "POST"}});
    }
    const std::string_view type = request.head.header("Content-Type").value_or("application/octet-stream");
    return after_sending(send_whole(channel, mode, 200, type, request.body), mode);
}

AfterReply status(std::string_view code, ReplyChannel& channel, ReplyMode mode) {
    const auto value = parse_decimal(code, 200, 599);
    if (!value) {
        return text(channel, mode, 400, "use /status/NNN with NNN from 200 to 599\n");
    }
    return text(channel, mode, static_cast<int>(*value), "status " + std::to_string(*value) + "\n");
}

AfterReply delay(std::string_view millis, ReplyChannel& channel, ReplyMode mode) {
    const auto value = parse_decimal(millis, 0, kMaxDelayMillis);
    if (!value) {
        return text(channel, mode, 400, "use /delay/MS with MS from 0 to 60000\n");
    }
    if (!channel.pause(std::chrono::milliseconds(*value))) {
        return AfterReply::close;
    }
    return text(channel, mode, 200, "delayed " + std::to_string(*value) + " ms\n");
}

AfterReply stream(const Request& request, std::string_view count, ReplyChannel& channel, ReplyMode mode) {
    const auto chunks = parse_decimal(count, 1, kMaxChunks);
    const auto interval_text = request.head.query("interval_ms");
    const auto interval = interval_text ? parse_decimal(*interval_text, 0, kMaxIntervalMillis) : 10;
    if (!chunks || !interval) {
        return text(channel, mode, 400, "use /stream/N with N 1-10000, optionally ?interval_ms=0-1000\n");
    }
    const Fields fields{{"Content-Type", "application/x-ndjson"}, {"Transfer-Encoding", "chunked"}};
    if (!channel.send(format_head(200, fields, mode)) || mode.head_only) {
        return after_sending(!mode.head_only, mode);
    }
    for (std::uint64_t i = 0; i < *chunks; ++i) {
        if (i > 0 && !channel.pause(std::chrono::milliseconds(*interval))) {
            return AfterReply::close;
        }
        const std::string line =
            R"({"chunk": )" + std::to_string(i) + R"(, "of": )" + std::to_string(*chunks) + "}\n";
        if (!send_chunk(channel, line)) {
            return AfterReply::close;
        }
    }
    return after_sending(send_chunk(channel, ""), mode);
}

AfterReply bytes(std::string_view count, ReplyChannel& channel, ReplyMode mode) {
    const auto total = parse_decimal(count, 0, kMaxBytes);
    if (!total) {
        return text(channel, mode, 400, "use /bytes/N with N from 0 to 1073741824\n");
    }
    const Fields fields{{"Content-Type", "application/octet-stream"},
                        {"Content-Length", std::to_string(*total)}};
    if (!channel.send(format_head(200, fields, mode))) {
        return AfterReply::close;
    }
    std::string piece;
    for (std::uint64_t sent = 0; !mode.head_only && sent < *total;) {
        piece.resize(static_cast<std::size_t>(std::min<std::uint64_t>(*total - sent, kBytesPiece)));
        fill_counting_pattern(sent, piece.data(), piece.size());
        if (!channel.send(piece)) {
            return AfterReply::close;
        }
        sent += piece.size();
    }
    return after_sending(true, mode);
}

AfterReply redirect(std::string_view count, ReplyChannel& channel, ReplyMode mode) {
    const auto hops = parse_decimal(count, 0, kMaxRedirects);
    if (!hops) {
        return text(channel, mode, 400, "use /redirect/N with N from 0 to 100\n");
    }
    if (*hops == 0) {
        return text(channel, mode, 200, "redirect chain ended\n");
    }
    const std::string next = "/redirect/" + std::to_string(*hops - 1);
    return text(channel, mode, 302, "redirecting to " + next + "\n", {{"Location", next}});
}

AfterReply close_mid_body(ReplyChannel& channel, ReplyMode mode) {
    const Fields fields{{"Content-Type", "text/plain; charset=utf-8"},
                        {"Content-Length", std::to_string(kCutDeclared)}};
    if (channel.send(format_head(200, fields, mode)) && !mode.head_only) {
        channel.send(std::string(kCutSent, 'x'));
    }
    return AfterReply::close;  // a FIN after 100 of the 1000 bytes announced
}

AfterReply huge_header(std::string_view size, ReplyChannel& channel, ReplyMode mode) {
    const auto padding = parse_decimal(size, 0, kMaxPadding);
    if (!padding) {
        return text(channel, mode, 400, "use /huge-header/N with N from 0 to 1048576\n");
    }
    return text(channel, mode, 200, "hi",
                {{"X-Padding", std::string(static_cast<std::size_t>(*padding), 'a')}});
}

/// The query's NAME=VALUE pairs as reply fields; nullopt when a NAME is not a plain field name
/// or a VALUE holds anything but printable ASCII.
std::optional<Fields> fields_from_query(std::string_view target) {
    const auto mark = target.find('?');
    std::string_view rest = mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
    const auto plain = [](std::string_view text, bool name) {
        return std::ranges::all_of(text, [name](char c) {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            return name ? letter || c == '-' : c > ' ' && c < 0x7f;
        });
    };
    Fields fields;
    while (!rest.empty()) {
        const std::string_view pair = rest.substr(0, rest.find('&'));
        rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
        const auto equals = pair.find('=');
        const std::string_view name = pair.substr(0, equals);
        const std::string_view value = equals == std::string_view::npos ? "" : pair.substr(equals + 1);
        if (name.empty() || !plain(name, true) || !plain(value, false)) {
            return std::nullopt;
        }
        fields.emplace_back(name, value);
    }
    return fields;
}

AfterReply request_back(const Request& request, ReplyChannel& channel, ReplyMode mode) {
    const auto fields = fields_from_query(request.head.target);
    if (!fields) {
        return text(channel, mode, 400, "use /request?NAME=VALUE&... with letters, digits and '-' in NAME\n");
    }
    return after_sending(send_whole(channel, mode, 200, "message/http", request.raw, *fields), mode);
}

/// The value of one hex digit, or -1.
int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

AfterReply hex(std::string_view digits, ReplyChannel& channel, ReplyMode mode) {
    std::string body;
    const bool sized = digits.size() % 2 == 0 && digits.size() <= 2 * kMaxHexBytes;
    for (std::size_t i = 0; sized && i < digits.size(); i += 2) {
        const int high = hex_value(digits[i]);
        const int low = hex_value(digits[i + 1]);
        if (high < 0 || low < 0) {
            break;
        }
        body.push_back(static_cast<char>(high * 16 + low));
    }
    if (!sized || body.size() * 2 != digits.size()) {
        return text(channel, mode, 400, "use /hex/HEX with an even number of hex digits, up to 2048\n");
    }
    return after_sending(send_whole(channel, mode, 200, "application/octet-stream", body), mode);
}

}  // namespace

void fill_counting_pattern(std::uint64_t offset, char* out, std::size_t size) {
    std::array<char, 16> record{};
    for (std::size_t done = 0; done < size;) {
        const std::uint64_t record_start = offset / 16 * 16;
        std::uint64_t value = record_start;
        for (int digit = 14; digit >= 0; --digit) {
            record[static_cast<std::size_t>(digit)] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
        record[15] = '\n';
        const auto from = static_cast<std::size_t>(offset - record_start);
        const std::size_t n = std::min(16 - from, size - done);
        std::memcpy(out + done, record.data() + from, n);
        done += n;
        offset += n;
    }
}

AfterReply answer(const Request& request, ReplyChannel& channel) {
    const RequestHead& head = request.head;
    const ReplyMode mode{head.method == "HEAD", !head.keep_alive};
    const std::string_view path = head.path();
    if (path == "/request" || path.starts_with("/request/")) {
        return request_back(request, channel, mode);
    }
    if (path == "/echo") {
        return echo(request, channel, mode);
    }
    if (head.method != "GET" && head.method != "HEAD") {
        return text(channel, mode, 405, "only /echo and /request take " + head.method + "\n",
                    {{"Allow", "GET, HEAD"}});
    }
    if (path == "/hello.txt") {
        return text(channel, mode, 200, "hello from netlab_http_peer\n");
    }
    if (const auto code = after(path, "/status/")) {
        return status(*code, channel, mode);
    }
    if (const auto millis = after(path, "/delay/")) {
        return delay(*millis, channel, mode);
    }
    if (const auto count = after(path, "/stream/")) {
        return stream(request, *count, channel, mode);
    }
    if (const auto count = after(path, "/bytes/")) {
        return bytes(*count, channel, mode);
    }
    if (const auto hops = after(path, "/redirect/")) {
        return redirect(*hops, channel, mode);
    }
    if (path == "/close-mid-body") {
        return close_mid_body(channel, mode);
    }
    if (const auto size = after(path, "/huge-header/")) {
        return huge_header(*size, channel, mode);
    }
    if (const auto digits = after(path, "/hex/")) {
        return hex(*digits, channel, mode);
    }
    return text(channel, mode, 404, "not found\n");
}

}  // namespace netlab::http_peer
