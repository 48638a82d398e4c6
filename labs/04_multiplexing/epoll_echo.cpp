// This lab shows:
//  - an edge-triggered reactor: one epoll_wait, then per ready socket a handler that works until
//    the kernel says EAGAIN (or a short read/write proves it would), because EPOLLET reports each
//    change only once;
//  - a write that goes straight to the socket when nothing is queued, a queue for the remainder,
//    and EPOLLOUT in the interest list only while that queue is not empty (EPOLL_CTL_MOD);
//  - backpressure (背压): at max_buffer unsent bytes we stop reading that client, so a peer that
//    sends without reading fills its own socket buffers, not our memory; reading resumes when
//    the queue drains;
//  - accept until EAGAIN, a pause (not a busy loop) at the connection limit or out of descriptors.

#include "04_multiplexing/epoll_echo.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <string>
#include <system_error>

#include "common/accept_error.hpp"
#include "common/log.hpp"

namespace netlab::multiplexing {
namespace {

/// What a connection always waits for: bytes, and the peer's FIN (EPOLLRDHUP), edge-triggered.
constexpr std::uint32_t kReadEvents = EPOLLIN | EPOLLRDHUP | EPOLLET;
/// The same plus room to send, while echo is queued.
constexpr std::uint32_t kReadWriteEvents = kReadEvents | EPOLLOUT;
/// Events collected per epoll_wait.
constexpr std::size_t kMaxEvents = 256;
/// Full reads per connection per turn; then the others get their turn (epoll(7), "starvation").
constexpr int kReadsPerTurn = 16;
/// Out of descriptors, try accept() again this often (or as soon as a connection ends).
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

}  // namespace

EpollEchoServer::EpollEchoServer(core::TcpListener listener, EchoLimits limits)
    : listener_(std::move(listener)), limits_(limits) {
    limits_.max_connections = std::max<std::size_t>(limits_.max_connections, 1);
    limits_.max_buffer = std::max<std::size_t>(limits_.max_buffer, 1);
    listener_.set_nonblocking();  // accept() until EAGAIN must never block
    epoll_.add(listener_.get(), EPOLLIN | EPOLLET);
}

void EpollEchoServer::run(const ShutdownSignal& shutdown) {
    epoll_.add(shutdown.get(), EPOLLIN);
    std::array<epoll_event, kMaxEvents> events;
    std::vector<int> again;
    for (;;) {
        int timeout = -1;  // nothing to do until the kernel reports something
        if (!unfinished_.empty()) {
            timeout = 0;  // connections still have bytes to read: just collect what is ready
        } else if (retry_accept_at_) {
            timeout = static_cast<int>(std::max<std::chrono::milliseconds::rep>(
                0, std::chrono::ceil<std::chrono::milliseconds>(*retry_accept_at_ - Clock::now()).count()));
        }
        // A handler closes only its own connection, so a later event of the same batch never meets a
        // descriptor that was closed and handed out again (each descriptor appears once per batch).
        for (const epoll_event& event : epoll_.wait(events, timeout)) {
            const int fd = event.data.fd;
            if (fd == shutdown.get()) {
                return;
            }
            if (fd == listener_.get()) {
                on_accept();
            } else {
                on_event(slots_[static_cast<std::size_t>(fd)], event.events);
            }
        }
        again.swap(unfinished_);
        for (const int fd : again) {
            Connection& connection = slots_[static_cast<std::size_t>(fd)];
            if (connection.stream.is_open()) {
                on_event(connection, EPOLLIN | EPOLLRDHUP);  // read on, as if a new edge had come
            }
        }
        again.clear();
        if (retry_accept_at_ && Clock::now() >= *retry_accept_at_) {
            resume_accepting();
        }
    }
}

void EpollEchoServer::on_accept() {
    // BEGIN SOLUTION on_accept
    for (;;) {
        if (open_ >= limits_.max_connections) {
            pause_accepting(false);  // the rest wait in the backlog until a connection ends
            return;
        }
        std::optional<core::Accepted> accepted;
        try {
            // accept4(SOCK_NONBLOCK | SOCK_CLOEXEC): the new socket's flags in the same call.
            accepted = listener_.accept(core::StreamMode::nonblocking);
        } catch (const std::system_error& error) {
            if (error.code().category() != std::system_category() ||
                classify_accept_error(error.code().value()) != AcceptError::out_of_resources) {
                throw;  // the listener itself is broken
            }
            if (!out_of_descriptors_) {
                log::line(std::string(error.what()) +
                          "; accepting again when a connection ends (or in 100 ms)");
            }
            out_of_descriptors_ = true;
            pause_accepting(true);  // a level-triggered listener would spin here; we step aside
            return;
        }
        if (!accepted) {
            return;  // EAGAIN: the backlog is empty; the next client is a new edge
        }
        out_of_descriptors_ = false;
        const int fd = accepted->stream.get();
        try {
            accepted->stream.set_no_delay();  // an echo is a reply: send it now, not after Nagle's wait
            epoll_.add(fd, kReadEvents);      // already-waiting bytes are reported at once
        } catch (const std::system_error& error) {
            log::line(accepted->peer.to_string() + ": dropped at once: " + error.what());
            continue;  // accepted goes out of scope: the connection closes
        }
        if (static_cast<std::size_t>(fd) >= slots_.size()) {
            slots_.resize(static_cast<std::size_t>(fd) + 1);  // amortised: the vector grows geometrically
        }
        Connection& connection = slots_[static_cast<std::size_t>(fd)];
        connection.stream = std::move(accepted->stream);
        connection.peer = accepted->peer;
        connection.interest = kReadEvents;
        ++open_;
    }
    // END SOLUTION
}

void EpollEchoServer::on_event(Connection& connection, std::uint32_t events) {
    try {
        if ((events & (EPOLLERR | EPOLLHUP)) != 0) {  // reset, or both directions gone: nothing to save
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(connection.stream.get(), SOL_SOCKET, SO_ERROR, &error, &length);
            log_failure(connection, error != 0 ? std::system_category().message(error) : "hang-up");
            close(connection);
            return;
        }
        if ((events & EPOLLOUT) != 0) {
            on_writable(connection);
        }
        if (connection.stream.is_open() && (events & (EPOLLIN | EPOLLRDHUP)) != 0) {
            on_readable(connection, (events & EPOLLRDHUP) != 0);  // after a FIN: read on to EOF
        }
    } catch (const std::system_error& error) {  // recv/send failed (ECONNRESET, EPIPE...): this client only
        log_failure(connection, error.what());
        close(connection);
    }
}

void EpollEchoServer::on_readable(Connection& connection, bool until_would_block) {
    // BEGIN SOLUTION on_readable
    for (int reads = 0; !connection.reading_paused; ++reads) {  // paused: leave the bytes in the kernel
        if (reads == kReadsPerTurn) {
            unfinished_.push_back(connection.stream.get());  // more next turn; let the others run first
            return;
        }
        const std::size_t room = limits_.max_buffer - connection.out.size();  // > 0 while not paused
        const auto buffer = std::span(read_buffer_).first(std::min(room, read_buffer_.size()));
        const core::IoResult got = connection.stream.read_some(buffer);
        if (got.eof()) {
            connection.peer_finished = true;
            if (connection.out.empty()) {
                finish(connection);
            }  // else on_writable finishes once the queue drains
            return;
        }
        if (got.would_block()) {
            return;  // drained: the next arrival is a new edge
        }
        send_or_queue(connection, buffer.first(got.size));
        if (got.size < buffer.size() && !until_would_block) {
            return;  // a short read of a stream socket means it is drained (epoll(7)): save the EAGAIN call
        }
    }
    // END SOLUTION
}

void EpollEchoServer::on_writable(Connection& connection) {
    // BEGIN SOLUTION on_writable
    while (!connection.out.empty()) {
        const std::size_t waiting = connection.out.size();
        const core::IoResult sent = connection.stream.write_some(connection.out.pending());
        connection.out.consume(sent.size);  // 0 when it would block
        if (sent.size < waiting) {
            return;  // the send buffer is full: EPOLLOUT stays on and its next edge brings us back
        }
    }
    set_interest(connection, kReadEvents);  // nothing queued: stop asking about room to send
    if (connection.peer_finished) {
        finish(connection);
        return;
    }
    if (connection.reading_paused) {
        connection.reading_paused = false;
        // Edge-triggered: the bytes that arrived while we were paused bring no new edge of their own (the
        // MOD above re-checks readiness, but only because EPOLLOUT changed). Read them now.
        on_readable(connection, true);
    }
    // END SOLUTION
}

void EpollEchoServer::send_or_queue(Connection& connection, std::span<const std::byte> bytes) {
    // BEGIN SOLUTION send_or_queue
    if (connection.out.empty()) {  // the common case: straight to the kernel, no copy
        const core::IoResult sent = connection.stream.write_some(bytes);
        bytes = bytes.subspan(sent.size);  // size 0 when it would block
        if (bytes.empty()) {
            return;
        }
    }
    connection.out.append(bytes);  // behind what waits already: the order of the echo is kept
    set_interest(connection, kReadWriteEvents);
    if (connection.out.size() >= limits_.max_buffer) {
        connection.reading_paused = true;  // backpressure: our queue is full, so stop taking bytes in
    }
    // END SOLUTION
}

void EpollEchoServer::set_interest(Connection& connection, std::uint32_t events) {
    if (connection.interest != events) {
        epoll_.modify(connection.stream.get(), events);
        connection.interest = events;
    }
}

void EpollEchoServer::finish(Connection& connection) {
    connection.stream.shutdown_write();  // FIN after the last echoed byte: the client reads EOF
    close(connection);
}

void EpollEchoServer::close(Connection& connection) {
    if (!connection.stream.is_open()) {
        return;  // closed already (a failure while finishing it)
    }
    connection.stream.close();  // also leaves epoll's interest list: no other descriptor shares the socket
    connection.out.clear();
    connection.interest = 0;
    connection.reading_paused = false;
    connection.peer_finished = false;
    --open_;
    if (!accepting_) {
        resume_accepting();  // a slot (and a descriptor) is free again
    }
}

void EpollEchoServer::pause_accepting(bool out_of_descriptors) {
    if (accepting_) {
        epoll_.modify(listener_.get(), 0);  // stay registered, report nothing
        accepting_ = false;
    }
    if (out_of_descriptors) {
        retry_accept_at_ = Clock::now() + kAcceptRetry;
    }
}

void EpollEchoServer::resume_accepting() {
    retry_accept_at_.reset();
    if (!accepting_) {
        epoll_.modify(listener_.get(), EPOLLIN | EPOLLET);  // MOD re-checks: a waiting client fires at once
        accepting_ = true;
    }
}

void EpollEchoServer::log_failure(const Connection& connection, const std::string& what) const {
    log::line(connection.peer.to_string() + ": " + what);
}

}  // namespace netlab::multiplexing
