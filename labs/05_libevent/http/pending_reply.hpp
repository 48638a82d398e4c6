#pragma once
// This file shows:
//  - replies that finish later, and the one hard question they raise: what if the client goes
//    away first? evhttp then either frees the request with its connection, or (while we still owe
//    the reply) detaches it and leaves it to us. The connection's close callback tells us which,
//    and a PendingReply never touches its request after that;
//  - bounded memory for a huge body: generate the next piece only when the previous one has been
//    written to the socket (evhttp_send_reply_chunk_with_cb), so at most one piece is in memory.

#include <cstdint>
#include <memory>

#include <event2/http.h>

#include "05_libevent/event/timer_event.hpp"

namespace netlab::libevent {

class HttpServer;

/// A reply in progress, owned by HttpServer. Loop thread only.
class PendingReply {
public:
    /// Watches req's connection so that a client who leaves early ends this reply.
    PendingReply(HttpServer& server, evhttp_request* req);
    /// Stops watching the connection if it still exists; never sends anything.
    virtual ~PendingReply();
    PendingReply(const PendingReply&) = delete;
    PendingReply& operator=(const PendingReply&) = delete;

    /// Starts the reply; called once the server owns this object.
    virtual void start() = 0;

protected:
    /// The request, or null once released.
    [[nodiscard]] evhttp_request* request() const noexcept { return req_; }
    /// Stops watching the connection and hands back the request for the final evhttp call.
    evhttp_request* release() noexcept;
    /// Destroys this reply (HttpServer::forget): the very last thing a member may do.
    void destroy();
    /// The server (for its loop).
    [[nodiscard]] HttpServer& server() const noexcept { return server_; }

private:
    static void connection_closed(evhttp_connection* connection, void* ctx);

    HttpServer& server_;
    evhttp_request* req_;
};

/// /delay/MS: the answer comes from a timer.
class DelayedReply final : public PendingReply {
public:
    DelayedReply(HttpServer& server, evhttp_request* req, std::chrono::milliseconds delay);
    void start() override;

private:
    void fire();
    std::chrono::milliseconds delay_;
    TimerEvent timer_;
};

/// /stream/N: N chunks, one per interval, in chunked transfer encoding (HTTP/1.1).
class ChunkStream final : public PendingReply {
public:
    ChunkStream(HttpServer& server, evhttp_request* req, std::uint64_t chunks,
                std::chrono::milliseconds interval);
    void start() override;

private:
    void tick();
    std::uint64_t chunks_;
    std::uint64_t sent_ = 0;
    std::chrono::milliseconds interval_;
    TimerEvent timer_;
};

/// /bytes/N: a Content-Length body generated piece by piece as the connection drains.
class BytesStream final : public PendingReply {
public:
    BytesStream(HttpServer& server, evhttp_request* req, std::uint64_t total);
    void start() override;

private:
    static void drained(evhttp_connection* connection, void* ctx);
    void send_more();
    std::uint64_t total_;
    std::uint64_t sent_ = 0;
};

/// /close-mid-body: announces more than it sends, then closes the connection.
class CloseMidBody final : public PendingReply {
public:
    CloseMidBody(HttpServer& server, evhttp_request* req);
    void start() override;

private:
    static void drained(evhttp_connection* connection, void* ctx);
};

/// Byte `offset` onwards of the /bytes pattern: 16-byte records, each its own offset in 15 decimal
/// digits and a '\n' ("000000000000000\n000000000000016\n..."), so a slip is visible anywhere.
void fill_counting_pattern(std::uint64_t offset, char* out, std::size_t size);

}  // namespace netlab::libevent
