// This file shows:
//  - the incremental trick for a bounded head: look for the empty line (CRLF CRLF) only in the
//    first max_bytes; if it is not there and max_bytes have arrived, the answer is 431, and if
//    fewer have arrived the answer is "need more" - never an unbounded buffer;
//  - splitting lines on CRLF only: a bare LF is a request smuggling trick, rejected with 400.

#include "09_websocket/protocol/http_head.hpp"

#include <algorithm>
#include <cctype>

namespace netlab::websocket {
namespace {

enum class Kind { request, response };

HeadResult failure(int status, std::string error) {
    HeadResult result;
    result.status = ParseStatus::error;
    result.http_status = status;
    result.error = std::move(error);
    return result;
}

bool is_token_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

}  // namespace

HeadResult find_head_end(std::string_view bytes, const HeadLimits& limits) {
    // BEGIN SOLUTION find_head_end
    const std::string_view window = bytes.substr(0, limits.max_bytes);
    const std::size_t end = window.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        for (std::size_t lf = window.find('\n'); lf != std::string_view::npos;
             lf = window.find('\n', lf + 1)) {
            if (lf == 0 || window[lf - 1] != '\r') {
                return failure(400, "a line ends in a bare LF; HTTP lines end in CRLF");
            }
        }
        if (bytes.size() >= limits.max_bytes) {
            return failure(431, "the head is longer than " + std::to_string(limits.max_bytes) + " bytes");
        }
        return {};
    }
    HeadResult result;
    result.status = ParseStatus::complete;
    result.consumed = end + 4;
    return result;
    // END SOLUTION
}

namespace {

bool parse_start_line(std::string_view line, Kind kind, HttpHead& head, std::string& error) {
    const std::size_t first = line.find(' ');
    const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos) {
        error = "start line '" + std::string(line.substr(0, 80)) + "' has fewer than three parts";
        return false;
    }
    const std::string_view a = line.substr(0, first);
    const std::string_view b = line.substr(first + 1, second - first - 1);
    const std::string_view c = line.substr(second + 1);
    if (kind == Kind::request) {
        if (!is_token(a) || b.empty() || b.find(' ') != std::string_view::npos ||
            c.find(' ') != std::string_view::npos) {
            error = "malformed request line";
            return false;
        }
        head.method = a;
        head.target = b;
        head.version = c;
        return true;
    }
    if (b.size() != 3 || !std::all_of(b.begin(), b.end(), [](char d) { return d >= '0' && d <= '9'; })) {
        error = "status code '" + std::string(b.substr(0, 10)) + "' is not three digits";
        return false;
    }
    head.version = a;
    head.status = (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0');
    head.reason = c;
    return true;
}

HeadResult parse_head(std::string_view bytes, const HeadLimits& limits, Kind kind) {
    // BEGIN SOLUTION parse_head
    HeadResult result = find_head_end(bytes, limits);
    if (result.status != ParseStatus::complete) {
        return result;
    }
    std::string_view rest = bytes.substr(0, result.consumed - 2);  // every line, each with its CRLF
    bool first_line = true;
    while (!rest.empty()) {
        const std::size_t eol = rest.find("\r\n");
        const std::string_view line = rest.substr(0, eol);
        rest.remove_prefix(eol + 2);
        if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
            return failure(400, "a line ends in a bare LF or holds a bare CR");
        }
        if (first_line) {
            first_line = false;
            std::string error;
            if (!parse_start_line(line, kind, result.head, error)) {
                return failure(400, error);
            }
            if (!result.head.version.starts_with("HTTP/1.")) {
                return failure(505, "version '" + result.head.version + "' is not HTTP/1.x");
            }
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            return failure(400, "obsolete line folding (a header line starting with a space)");
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
            return failure(400, "malformed header line '" + std::string(line.substr(0, 80)) + "'");
        }
        if (result.head.fields.size() == limits.max_fields) {
            return failure(431, "more than " + std::to_string(limits.max_fields) + " header lines");
        }
        result.head.fields.push_back(
            {std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
    }
    result.status = ParseStatus::complete;
    return result;
    // END SOLUTION
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::string_view> HttpHead::field(std::string_view name) const {
    for (const HttpField& f : fields) {
        if (equals_ignoring_case(f.name, name)) {
            return f.value;
        }
    }
    return std::nullopt;
}

std::size_t HttpHead::count(std::string_view name) const {
    return static_cast<std::size_t>(std::count_if(fields.begin(), fields.end(), [&](const HttpField& f) {
        return equals_ignoring_case(f.name, name);
    }));
}

bool HttpHead::has_token(std::string_view name, std::string_view token) const {
    for (const HttpField& f : fields) {
        if (!equals_ignoring_case(f.name, name)) {
            continue;
        }
        std::string_view list = f.value;
        while (!list.empty()) {
            const std::size_t comma = list.find(',');
            if (equals_ignoring_case(trim(list.substr(0, comma)), token)) {
                return true;
            }
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        }
    }
    return false;
}

HeadResult parse_request_head(std::string_view bytes, const HeadLimits& limits) {
    return parse_head(bytes, limits, Kind::request);
}

HeadResult parse_response_head(std::string_view bytes, const HeadLimits& limits) {
    return parse_head(bytes, limits, Kind::response);
}

}  // namespace netlab::websocket
