#include "07_libcurl/header_line.hpp"

#include <array>

namespace netlab::curl {
namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(kBlanks);
    return text.substr(first, last - first + 1);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// The token characters of RFC 9110 (field names): visible ASCII except separators, as a
/// 256-entry table built at compile time (one load per byte, as HTTP parsers do it).
constexpr std::array<bool, 256> kTokenChars = [] {
    std::array<bool, 256> table{};
    for (int c = '!'; c <= '~'; ++c) {
        table[static_cast<std::size_t>(c)] =
            std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) == std::string_view::npos;
    }
    return table;
}();

bool is_token_char(char c) {
    return kTokenChars[static_cast<unsigned char>(c)];
}

}  // namespace

HeaderLine parse_header_line(std::string_view line) {
    // BEGIN SOLUTION parse_header_line
    HeaderLine parsed;
    if (line.ends_with("\r\n")) {
        line.remove_suffix(2);
    } else if (line.ends_with('\n')) {
        line.remove_suffix(1);
    }
    if (line.empty()) {
        parsed.kind = LineKind::end;
        return parsed;
    }
    if (line.starts_with("HTTP/")) {  // "HTTP/1.1 200 OK" or "HTTP/2 200": version, space, 3 digits
        const auto space = line.find(' ');
        if (space == std::string_view::npos || line.size() < space + 4) {
            return parsed;
        }
        const std::string_view code = line.substr(space + 1, 3);
        const bool ends = line.size() == space + 4 || line[space + 4] == ' ';
        if (!is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]) || !ends) {
            return parsed;
        }
        parsed.kind = LineKind::status;
        parsed.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        return parsed;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return parsed;
    }
    const std::string_view name = line.substr(0, colon);
    for (const char c : name) {
        if (!is_token_char(c)) {
            return parsed;
        }
    }
    const std::string_view value = trim(line.substr(colon + 1));
    if (value.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
        return parsed;  // RFC 9110 5.5: NUL, CR and LF never belong in a field value
    }
    parsed.kind = LineKind::field;
    parsed.name = std::string(name);
    parsed.value = std::string(value);
    return parsed;
    // END SOLUTION
}

}  // namespace netlab::curl
