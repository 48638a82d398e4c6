#pragma once
// The private half of echo_server.hpp: one client of the EchoServer. echo_server.cpp and
// echo_connection.cpp include it, and the in-process tests, which drive one Connection over a
// socketpair with callbacks they set themselves.

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "05_libevent/echo/echo_server.hpp"
#include "05_libevent/event/buffer_event.hpp"
#include "05_libevent/event/read_event.hpp"

namespace netlab::libevent {

/// What one readv() asks libevent to reserve past its 4096-byte read, and the most one direct recv() takes:
/// fair to the other clients, large enough that bulk echo costs a few system calls per MiB.
inline constexpr std::size_t kEchoReadBudget = 256 * 1024;

/// One client: its bufferevent and where its echo stands. Owned by EchoServer::connections_.
class EchoServer::Connection {
public:
    Connection(EchoServer& server, BufferEvent bev, std::string peer)
        : server_(server), bev_(std::move(bev)), peer_(std::move(peer)), extra_(::evbuffer_new()) {
        if (!extra_) {
            throw std::runtime_error("evbuffer_new failed");
        }
    }

    /// Input arrived: echo it. Runs on the loop thread; never blocks.
    void on_read();
    /// direct_read: the socket is readable (or stayed quiet for the idle timeout): recv() and echo.
    /// Loop thread. May close (destroy) this connection, as its last act.
    void on_readable(bool timed_out);
    /// direct_read: creates the ReadEvent and arms it with the idle timeout.
    void start_direct_reading();
    /// Output drained to the low watermark: resume reading, or finish a half-close. Loop thread.
    void on_write();
    /// EOF, error or timeout. Loop thread. May close (destroy) this connection, as its last act.
    void on_event(short events, int error);
    /// Echoes bytes (drained): written at once when nothing is queued, else queued by moving chains.
    void send_or_queue(evbuffer* bytes);
    /// The same for bytes in a plain buffer: sent at once when nothing is queued, the rest copied in.
    void send_or_queue(std::span<const std::byte> bytes);
    /// Backpressure: stop reading this client, its echo backed up past the high watermark.
    void pause_reading();
    /// The echo drained to the low watermark: read this client again.
    void resume_reading();
    /// Reads what libevent's capped read left in the socket and echoes it. Returns false if that
    /// ended the connection (it is destroyed: touch nothing).
    bool read_more();
    /// The client sent EOF: finish the echo, then close. Returns false if it closed (destroyed) now.
    bool on_eof();

    BufferEvent& bev() noexcept { return bev_; }
    const std::string& peer() const noexcept { return peer_; }

private:
    EchoServer& server_;
    BufferEvent bev_;
    std::string peer_;
    EvBufferPtr extra_;                // read_more() reads here (libevent freezes the input buffer's end)
    std::optional<ReadEvent> reader_;  // direct_read only; declared after bev_, so freed before the socket
    bool reading_paused_ = false;      // the queued echo passed the high watermark
    bool closing_ = false;             // the client sent EOF: flushing, then closing
};

}  // namespace netlab::libevent
