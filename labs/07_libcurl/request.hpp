#pragma once
// This file shows:
//  - a typed request: everything one HTTP transfer needs, with units in the types
//    (std::chrono durations, not "long milliseconds"), and safe defaults: a timeout is always
//    set, redirects are not followed unless asked, http and https only, the system's CA store.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace netlab::curl {

/// The request method. HEAD asks for headers only (CURLOPT_NOBODY).
enum class Method { get, head, post, put, delete_ };

/// One HTTP request. Plain data: copy it, keep it in a vector, reuse it.
struct Request {
    std::string url;                   ///< http:// or https:// (other schemes are refused)
    Method method = Method::get;       ///< post with no body sends an empty body
    std::vector<std::string> headers;  ///< "Name: value" lines, sent as given
    std::optional<std::string> body;   ///< POST/PUT/DELETE only; POST without a Content-Type is a form
    std::chrono::milliseconds timeout = std::chrono::seconds{30};  ///< whole transfer; 0 means none (unsafe)
    std::chrono::milliseconds connect_timeout = std::chrono::seconds{10};  ///< TCP (and TLS) connect only
    bool follow_redirects = false;                 ///< follow Location: (at most max_redirects hops)
    long max_redirects = 10;                       ///< more hops than this -> CURLE_TOO_MANY_REDIRECTS
    std::string ca_file;                           ///< PEM file of CAs to trust; "" = the system store
    std::size_t max_body = std::size_t{64} << 20;  ///< a body kept in memory may not grow past this
    bool fresh_connection = false;                 ///< a new connection, closed after (for comparisons only)

    /// Field by field: an EasyHandle re-applies its options only when the next request differs.
    bool operator==(const Request&) const = default;
};

}  // namespace netlab::curl
