// This lab shows:
//  - a whitelist judgement of untrusted input: decode once, reject what is malformed, then accept
//    only plain segments; never "normalise" .. away (what looks harmless after normalising may not be);
//  - the file system is not consulted here: symbolic links inside the root are the caller's job
//    (HttpServer opens with openat2 RESOLVE_BENEATH).

#include "05_libevent/http/path_sanitizer.hpp"

#include <vector>

namespace netlab::libevent {
namespace {

constexpr std::size_t kMaxDecodedLength = 1024;

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// The kept segments joined by '/', no leading '/'; "index.html" appended when the path names a
/// folder (then it is all there is for "/").
std::string join_segments(const std::vector<std::string_view>& segments, bool names_folder) {
    std::string relative;
    for (const std::string_view segment : segments) {
        relative.append(segment).push_back('/');
    }
    if (names_folder) {
        relative += "index.html";
    } else if (!relative.empty()) {
        relative.pop_back();  // the '/' after the last segment
    }
    return relative;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
    // BEGIN SOLUTION percent_decode
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            decoded += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;  // '%' without two characters after it
        }
        const int high = hex_value(text[i + 1]);
        const int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return decoded;
    // END SOLUTION
}

SanitizedPath sanitize_path(std::string_view raw_path) {
    // BEGIN SOLUTION sanitize_path
    if (!raw_path.starts_with('/')) {
        return {PathVerdict::bad_request, {}};
    }
    const std::optional<std::string> decoded = percent_decode(raw_path);
    if (!decoded || decoded->size() > kMaxDecodedLength) {
        return {PathVerdict::bad_request, {}};
    }
    for (const char c : *decoded) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return {PathVerdict::bad_request, {}};  // NUL, CR, LF and friends never name a file here
        }
        if (c == '\\') {
            return {PathVerdict::forbidden, {}};  // another system's separator: "..\\" tricks
        }
    }
    std::vector<std::string_view> segments;
    bool names_folder = false;  // "/", "/docs/" and "/docs/." name folders; "/docs/a.txt" does not
    const std::string_view path(*decoded);
    for (std::size_t start = 0;;) {
        const std::size_t slash = path.find('/', start);
        const std::string_view segment =
            path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (segment.empty() || segment == ".") {
            names_folder = true;
        } else if (segment.starts_with('.')) {
            return {PathVerdict::forbidden, {}};  // "..", and hidden names such as .git or .env
        } else {
            segments.push_back(segment);
            names_folder = false;
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return {PathVerdict::ok, join_segments(segments, names_folder)};
    // END SOLUTION
}

}  // namespace netlab::libevent
