#pragma once
// This file shows:
//  - turning a URL path into a file path below a served folder as a PURE function: no file system,
//    no socket, so every trick can be tested in a table (.., %2e%2e, encoded slashes, NUL, dotfiles);
//  - decode exactly once, then judge the decoded segments: "..%2f" is a traversal, and "%252e%252e"
//    (decoded once to the harmless name "%2e%2e") is not.

#include <optional>
#include <string>
#include <string_view>

namespace netlab::libevent {

/// Percent-decodes text once (%XX with two hex digits; '+' stays '+'). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

/// What sanitize_path decided.
enum class PathVerdict {
    ok,           ///< relative holds the file to serve
    bad_request,  ///< not a well-formed path: answer 400
    forbidden,    ///< a traversal (..), a backslash or a hidden name (.git): answer 403
};

/// A verdict and, when ok, the path to open below the root.
struct SanitizedPath {
    PathVerdict verdict = PathVerdict::bad_request;
    /// Segments joined by '/', no leading '/', no empty, "." or ".." segment; "index.html" appended
    /// when the path names a folder ("/", "/docs/").
    std::string relative;
    /// True when the path may be served.
    explicit operator bool() const noexcept { return verdict == PathVerdict::ok; }
};

/// Judges the raw (still percent-encoded) path of a request, e.g. "/docs/a%20b.txt". It must start
/// with '/', decode cleanly, hold no control byte, and be at most 1024 bytes decoded.
SanitizedPath sanitize_path(std::string_view raw_path);

}  // namespace netlab::libevent
