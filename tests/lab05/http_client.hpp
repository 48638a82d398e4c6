#pragma once
// A tiny HTTP/1.1 client for the tests, written independently of the lab (and of libcurl): it
// writes a request by hand and reads one response with a deadline, understanding Content-Length,
// chunked transfer encoding and read-until-close. It reports what it saw, including a body cut
// short, so the tests can check the server's framing itself.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/endpoint.hpp"

namespace netlab::testing {

/// A header list in the order written or received.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// One response as read from the wire.
struct HttpResponse {
    int status = 0;
    std::string reason;
    Headers headers;
    std::string body;                 ///< empty when a body sink took the bytes
    std::size_t body_size = 0;        ///< bytes of body received (stored or given to the sink)
    bool chunked = false;             ///< Transfer-Encoding: chunked was used
    std::vector<std::size_t> chunks;  ///< the size of each chunk, in order (without the last, empty one)
    bool cut_short = false;           ///< the connection closed before the announced length arrived
    /// The first header with this name (case-insensitive).
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// What read_response() got: a response, or why there is none.
struct HttpResult {
    std::optional<HttpResponse> response;
    std::string problem;  ///< "" when response holds a complete (or cut_short) response
    explicit operator bool() const noexcept { return response.has_value(); }
};

/// How to read a response.
struct ReadOptions {
    std::chrono::milliseconds timeout = std::chrono::seconds(10);  ///< for the whole response
    bool head = false;                                             ///< the request was HEAD: no body follows
    std::function<void(std::string_view)> body_sink;  ///< if set, receives the body instead of .body
};

/// "METHOD target HTTP/1.1" with Host, the extra headers, Content-Length when there is a body, and the body.
std::string http_request(std::string_view method, std::string_view target, const Headers& headers = {},
                         std::string_view body = {});

/// Reads one response from a connected socket.
HttpResult read_response(int fd, const ReadOptions& options = {});

/// Connects to server, sends request, reads one response (then closes).
HttpResult http_exchange(const HostPort& server, const std::string& request, const ReadOptions& options = {});

/// Shorthand: GET target with "Connection: close".
HttpResult http_get(const HostPort& server, std::string_view target, const ReadOptions& options = {});

}  // namespace netlab::testing
