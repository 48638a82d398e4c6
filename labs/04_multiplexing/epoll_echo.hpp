#pragma once
// This file shows the last step from blocking I/O to epoll, and why each step exists:
//  - blocking: one recv() waits for one socket, so N clients need N threads (lab 01); at ten
//    thousand clients (the C10K problem) the stacks and context switches are the cost;
//  - select(): one thread waits for many, but the fd_set is capped at FD_SETSIZE (1024), is
//    rebuilt every call, and the kernel and we both scan every descriptor up to the highest;
//  - poll(): no cap (an array of pollfd), yet each call still hands the whole list to the kernel,
//    which checks every entry: O(watched) per wake-up even when one client spoke (poll_chat);
//  - epoll: the interest list lives in the kernel (epoll_ctl once per change), and epoll_wait
//    returns only the ready descriptors: O(ready). That is what lets one thread serve C10K.
//
// Level- versus edge-triggered (水平触发 / 边缘触发): level-triggered (poll's and epoll's default)
// reports "readable" for as long as unread bytes remain; edge-triggered (EPOLLET) reports the
// CHANGE, once per arrival. With EPOLLET each wake-up must read until EAGAIN (or a short read,
// epoll(7)), or the rest waits for a wake-up that never comes; in exchange the kernel does not
// report, again and again, a socket we chose not to read (backpressure below).

#include <sys/epoll.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/core/address.hpp"
#include "03_encapsulation/core/tcp_listener.hpp"
#include "03_encapsulation/core/tcp_stream.hpp"
#include "04_multiplexing/epoll.hpp"
#include "04_multiplexing/output_buffer.hpp"
#include "common/shutdown_signal.hpp"

namespace netlab::multiplexing {

/// The limits of an EpollEchoServer.
struct EchoLimits {
    std::size_t max_connections = 10000;  ///< served at once; more wait in the listen backlog
    std::size_t max_buffer = 256 * 1024;  ///< unsent echo per connection; at this bound reading it stops
};

/// An edge-triggered, single-threaded TCP echo server: every byte back, in order, then FIN after
/// the client's FIN. Memory per connection stays below max_buffer plus a fixed part.
class EpollEchoServer {
public:
    /// Takes a bound, listening socket (made non-blocking here). Throws std::system_error.
    EpollEchoServer(core::TcpListener listener, EchoLimits limits);

    /// The listening socket, still owned by the server (e.g. for announce_listening).
    [[nodiscard]] int listener_fd() const noexcept { return listener_.get(); }

    /// Serves until shutdown is requested; then returns, and the destructor closes every connection.
    /// A failing connection is logged (netlab::log) as "<peer>: <what>" and closed; it never stops the
    /// server. Throws only when the server itself breaks (epoll, the listener). Call once.
    void run(const ShutdownSignal& shutdown);

private:
    using Clock = std::chrono::steady_clock;

    /// The state of one connection, kept in a slot indexed by its descriptor.
    struct Connection {
        core::TcpStream stream;       // empty when the slot is free
        core::Address peer;           // for log lines (getpeername fails after a reset)
        OutputBuffer out;             // echo the kernel has not taken yet
        std::uint32_t interest = 0;   // the events registered with epoll now
        bool reading_paused = false;  // out reached max_buffer: read no more until it drains
        bool peer_finished = false;   // read EOF: finish writing, then FIN (SHUT_WR) and close
    };

    void on_accept();
    void on_event(Connection& connection, std::uint32_t events);
    void on_readable(Connection& connection, bool until_would_block);
    void on_writable(Connection& connection);
    void send_or_queue(Connection& connection, std::span<const std::byte> bytes);
    void set_interest(Connection& connection, std::uint32_t events);
    void finish(Connection& connection);
    void close(Connection& connection);
    void pause_accepting(bool out_of_descriptors);
    void resume_accepting();
    void log_failure(const Connection& connection, const std::string& what) const;

    core::TcpListener listener_;
    EchoLimits limits_;
    Epoll epoll_;
    std::vector<Connection> slots_;    // indexed by descriptor: the kernel hands out the lowest free one
    std::size_t open_ = 0;             // connections being served
    bool accepting_ = true;            // the listener reports EPOLLIN (not paused)
    bool out_of_descriptors_ = false;  // accept failed with EMFILE & co. and has not succeeded since
    std::optional<Clock::time_point> retry_accept_at_;  // set while paused for lack of descriptors
    std::vector<int> unfinished_;  // connections that hit the per-turn read cap: read on next turn
    std::array<std::byte, 64 * 1024> read_buffer_;  // every read lands here first: no allocation per event
};

}  // namespace netlab::multiplexing
