// This file shows:
//  - RFC 9112's request head, strictly: CRLF line ends, one space between the three parts of the
//    request line, "name: value" fields with no space before the colon and no folded lines;
//  - the order of checks: first whether the head is whole (or already too long), then its syntax,
//    then what it claims (Content-Length against the limit, a body encoding we do not speak).

#include "request_head.hpp"

#include <algorithm>
#include <charconv>

namespace netlab::http_peer {
namespace {

constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kHeadEnd = "\r\n\r\n";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

bool is_token(std::string_view text) {
    constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::ranges::all_of(text, [&](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               kSpecials.find(c) != std::string_view::npos;
    });
}

/// True when text holds a control byte other than a horizontal tab (CR and LF included).
bool has_control(std::string_view text) {
    return std::ranges::any_of(text, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t') || byte == 0x7f;
    });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

/// True when the comma-separated list holds token (without case), as in "Connection: a, close".
bool list_has(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        if (equals_ignoring_case(trim(list.substr(0, comma)), token)) {
            return true;
        }
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return false;
}

HeadParse failure(int status, std::string why) {
    HeadParse result;
    result.status = ParseStatus::error;
    result.error_status = status;
    result.error = std::move(why);
    return result;
}

/// Fills head's method, target and version from the request line, or says why it cannot.
std::optional<HeadParse> parse_request_line(std::string_view line, RequestHead& head) {
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
        return failure(400, "the request line is not METHOD TARGET VERSION");
    }
    const std::string_view method = line.substr(0, first);
    const std::string_view target = line.substr(first + 1, second - first - 1);
    const std::string_view version = line.substr(second + 1);
    if (!is_token(method) || !target.starts_with('/') || has_control(target)) {
        return failure(400, "the method must be a token and the target must start with '/'");
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        return version.starts_with("HTTP/") ? failure(505, "only HTTP/1.0 and HTTP/1.1 are spoken")
                                            : failure(400, "the version must be HTTP/1.x");
    }
    head.method = method;
    head.target = target;
    head.version = version;
    head.keep_alive = version == "HTTP/1.1";
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> RequestHead::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equals_ignoring_case(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view RequestHead::path() const {
    return std::string_view(target).substr(0, target.find('?'));
}

std::optional<std::string_view> RequestHead::query(std::string_view key) const {
    const auto mark = target.find('?');
    std::string_view rest =
        mark == std::string::npos ? std::string_view() : std::string_view(target).substr(mark + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto equals = pair.find('=');
        if (pair.substr(0, equals) == key) {
            return equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
        }
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return std::nullopt;
}

HeadParse parse_request_head(std::string_view bytes, const HeadLimits& limits) {
    const auto end = bytes.find(kHeadEnd);
    if (end == std::string_view::npos) {
        return bytes.size() >= limits.max_head ? failure(431, "the request head is too large") : HeadParse{};
    }
    const std::size_t size = end + kHeadEnd.size();
    if (size > limits.max_head) {
        return failure(431, "the request head is too large");
    }
    HeadParse result;
    std::string_view rest = bytes.substr(0, end + kLineEnd.size());  // every line with its CRLF
    const auto line_end = rest.find(kLineEnd);
    if (auto refused = parse_request_line(rest.substr(0, line_end), result.head)) {
        return std::move(*refused);
    }
    rest.remove_prefix(line_end + kLineEnd.size());
    std::optional<std::uint64_t> length;
    while (!rest.empty()) {
        const auto eol = rest.find(kLineEnd);
        const std::string_view line = rest.substr(0, eol);
        rest.remove_prefix(eol + kLineEnd.size());
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)) || has_control(line)) {
            return failure(400, "a header line is not NAME: VALUE");
        }
        if (result.head.headers.size() == limits.max_headers) {
            return failure(431, "too many header fields");
        }
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        result.head.headers.emplace_back(name, value);
        if (equals_ignoring_case(name, "Content-Length")) {
            const auto parsed = parse_decimal(value, 0, UINT64_MAX / 2);
            if (!parsed || (length && *length != *parsed)) {
                return failure(400, "Content-Length must be one decimal number");
            }
            length = parsed;
        } else if (equals_ignoring_case(name, "Transfer-Encoding")) {
            return failure(501, "request bodies with a Transfer-Encoding are not accepted");
        } else if (equals_ignoring_case(name, "Connection")) {
            result.head.keep_alive = !list_has(value, "close") &&
                                     (result.head.version == "HTTP/1.1" || list_has(value, "keep-alive"));
        } else if (equals_ignoring_case(name, "Expect")) {
            result.head.expects_continue = equals_ignoring_case(value, "100-continue");
        }
    }
    result.head.content_length = length.value_or(0);
    if (result.head.content_length > limits.max_body) {
        return failure(413, "the request body is larger than " + std::to_string(limits.max_body) + " bytes");
    }
    result.status = ParseStatus::complete;
    result.size = size;
    return result;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min, std::uint64_t max) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
        value > max) {
        return std::nullopt;
    }
    return value;
}

}  // namespace netlab::http_peer
