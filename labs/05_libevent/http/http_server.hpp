#pragma once
// This file shows:
//  - evhttp as a small test server that later labs (libcurl, Qt) talk to: static files, and
//    endpoints that misbehave on purpose (slow, streamed, huge, redirected, cut short);
//  - evhttp only on the loop thread: every handler below runs there and none of them blocks;
//    a reply that takes time (a delay, a stream) is a PendingReply driven by timers or by the
//    connection draining, never a sleep.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"
#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::libevent {

class PendingReply;

/// The HTTP server's limits.
struct HttpOptions {
    std::size_t max_body = 16 * 1024 * 1024;  ///< larger request bodies are refused with 413
    std::chrono::seconds timeout{60};         ///< a connection idle or stalled this long is closed
};

/// An evhttp server on one loop. Not movable (callbacks hold `this`); loop thread only.
///   GET  /any/file        a file below root (403 for traversal, 404 if missing)
///   POST /echo            the request body back, with the request's Content-Type
///   GET  /status/NNN      an empty reply with status NNN (200-599)
///   GET  /delay/MS        "delayed MS ms" after MS milliseconds (0-60000), from a timer
///   GET  /stream/N        N chunks (1-10000) of chunked encoding, one per ?interval_ms= (default 10)
///   GET  /bytes/N         N bytes (0-1 GiB) of a counting pattern, generated as the client drains
///   GET  /redirect/N      302 to /redirect/N-1, and 200 at /redirect/0 (N up to 100)
///   GET  /close-mid-body  announces 1000 bytes, sends 100, then closes the connection
class HttpServer {
public:
    /// Serves the folder root (an O_DIRECTORY descriptor, kept open) on where. Throws on failure.
    HttpServer(EventBase& base, const HostPort& where, UniqueFd root, HttpOptions options = {});
    /// Drops unfinished replies, then frees evhttp with its connections and listener.
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// The listening socket, still owned by evhttp.
    [[nodiscard]] int listener_fd() const noexcept { return listener_fd_; }
    /// The loop this server runs on.
    [[nodiscard]] EventBase& base() const noexcept { return base_; }

    /// Keeps a reply that finishes later; the reply calls forget() when it is done.
    void adopt(std::unique_ptr<PendingReply> reply);
    /// Destroys a kept reply: the last thing the reply's own code may do.
    void forget(const PendingReply& reply);

private:
    static void request_trampoline(evhttp_request* req, void* ctx);
    void handle(evhttp_request* req);
    void handle_file(evhttp_request* req, std::string_view raw_path);
    void handle_echo(evhttp_request* req);
    void handle_status(evhttp_request* req, std::string_view code);
    void handle_delay(evhttp_request* req, std::string_view millis);
    void handle_stream(evhttp_request* req, std::string_view count);
    void handle_bytes(evhttp_request* req, std::string_view count);
    void handle_redirect(evhttp_request* req, std::string_view count);
    void handle_close_mid_body(evhttp_request* req);

    EventBase& base_;
    UniqueFd root_;
    HttpOptions options_;
    EvHttpPtr http_;
    int listener_fd_ = -1;
    std::unordered_map<const PendingReply*, std::unique_ptr<PendingReply>> pending_;
};

}  // namespace netlab::libevent
