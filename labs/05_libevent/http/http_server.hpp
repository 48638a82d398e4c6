#pragma once
// This file shows:
//  - evhttp as a small teaching server: static files below a root, POST /echo and GET /status/NNN;
//  - evhttp only on the loop thread: every handler below runs there, answers at once and never
//    blocks.

#include <chrono>
#include <cstddef>
#include <string_view>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"
#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::libevent {

/// The HTTP server's limits.
struct HttpOptions {
    std::size_t max_body = 16 * 1024 * 1024;  ///< larger request bodies are refused with 413
    std::chrono::seconds timeout{60};         ///< a connection idle or stalled this long is closed
};

/// An evhttp server on one loop. Not movable (callbacks hold `this`); loop thread only.
///   GET  /any/file        a file below root (403 for traversal, 404 if missing)
///   POST /echo            the request body back, with the request's Content-Type
///   GET  /status/NNN      a reply with status NNN (200-599) and the text "status NNN"
///                         (no body for 204 and 304, which may carry none)
class HttpServer {
public:
    /// Serves the folder root (an O_DIRECTORY descriptor, kept open) on where. Throws on failure.
    HttpServer(EventBase& base, const HostPort& where, UniqueFd root, HttpOptions options = {});
    /// Frees evhttp with its connections and listener.
    ~HttpServer() = default;
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// The listening socket, still owned by evhttp.
    [[nodiscard]] int listener_fd() const noexcept { return listener_fd_; }

private:
    static void request_trampoline(evhttp_request* req, void* ctx);
    void handle(evhttp_request* req);
    void handle_file(evhttp_request* req, std::string_view raw_path);
    void handle_echo(evhttp_request* req);
    void handle_status(evhttp_request* req, std::string_view code);

    EventBase& base_;
    UniqueFd root_;
    HttpOptions options_;
    EvHttpPtr http_;
    int listener_fd_ = -1;
};

}  // namespace netlab::libevent
