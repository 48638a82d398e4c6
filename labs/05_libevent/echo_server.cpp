// This lab shows:
//  - an echo that MOVES bytes: evbuffer_add_buffer relinks the input's chains into the output (no
//    copy); and when nothing is queued it writes straight from the input, so a small message costs
//    epoll_wait + ioctl(FIONREAD) + readv + writev and never arms a write event. The naive
//    "evbuffer_add_buffer(output, input)" alone costs 7 system calls per message (a write event
//    armed and disarmed each time: 2 epoll_wait, 2 epoll_ctl); lab 04's epoll server needs 3;
//  - backpressure: when a client's queued echo passes the high watermark we stop reading it
//    (bufferevent_disable EV_READ); the kernel's buffers fill and TCP flow control stops the client.
//    The write callback, run once the output drained to the low watermark, reads again;
//  - half-close: EOF only means the client stopped sending. We finish writing what is queued, then
//    shutdown(SHUT_WR) and free;
//  - libevent 2.1 reads at most 4096 bytes per readiness event (EVBUFFER_MAX_READ in buffer.c;
//    bufferevent_set_max_single_read cannot raise it), so bulk input would cost a loop turn per
//    4 KiB (about 270 turns, over 1000 system calls per MiB). When a read hits that cap,
//    read_more() takes the rest in one readv() of up to 256 KiB: about 12 system calls per MiB.

#include "05_libevent/echo_server.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <new>
#include <stdexcept>
#include <system_error>

#include "05_libevent/buffer_event.hpp"

namespace netlab::libevent {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kLibeventReadCap = 4096;       // EVBUFFER_MAX_READ: libevent 2.1's largest read
constexpr std::size_t kReadMoreBudget = 256 * 1024;  // at most this much extra per callback: be fair

/// Writes one line to stderr; loop thread.
void log_line(const std::string& text) {
    std::cerr << "libevent_echo_server: " << text << std::endl;
}

/// accept() failures that mean "out of descriptors or memory": retry later instead of spinning.
bool out_of_resources(int error) {
    return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

}  // namespace

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
    /// Output drained to the low watermark: resume reading, or finish a half-close. Loop thread.
    void on_write();
    /// EOF, error or timeout. Loop thread. May close (destroy) this connection, as its last act.
    void on_event(short events, int error);
    /// Echoes bytes (drained): written at once when nothing is queued, else queued by moving chains.
    void send_or_queue(evbuffer* bytes);
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
    EvBufferPtr extra_;            // read_more() reads here (libevent freezes the input buffer's end)
    bool reading_paused_ = false;  // the queued echo passed the high watermark
    bool closing_ = false;         // the client sent EOF: flushing, then closing
};

void EchoServer::Connection::on_read() {
    // BEGIN SOLUTION on_read
    const std::size_t got = ::evbuffer_get_length(bev_.input());
    send_or_queue(bev_.input());
    if (got >= kLibeventReadCap && !read_more()) {
        return;  // the connection ended while reading more: it no longer exists
    }
    if (::evbuffer_get_length(bev_.output()) >= server_.options_.high_watermark) {
        bev_.disable(EV_READ);  // backpressure: read no more until the echo drained
        reading_paused_ = true;
    }
    // END SOLUTION
}

void EchoServer::Connection::on_write() {
    // BEGIN SOLUTION on_write
    if (closing_) {
        if (::evbuffer_get_length(bev_.output()) == 0) {
            ::shutdown(bev_.fd(), SHUT_WR);  // "that was everything"; close() then frees the socket
            server_.close(*this);            // destroys this connection: touch nothing after it
        }
        return;
    }
    if (reading_paused_) {  // we only get here once output drained to the low watermark
        reading_paused_ = false;
        bev_.enable(EV_READ);
    }
    // END SOLUTION
}

void EchoServer::Connection::on_event(short events, int error) {
    // BEGIN SOLUTION on_event
    if ((events & BEV_EVENT_EOF) != 0) {
        on_eof();
        return;
    }
    if ((events & BEV_EVENT_ERROR) != 0) {
        log_line(peer_ + ": " + std::system_category().message(error));
        server_.close(*this);
        return;
    }
    if ((events & BEV_EVENT_TIMEOUT) != 0) {
        if ((events & BEV_EVENT_READING) != 0 && !closing_ && ::evbuffer_get_length(bev_.output()) > 0) {
            // Quiet, but its echo is still flowing out (a stalled write has its own timeout): not idle.
            bev_.enable(EV_READ);  // libevent disabled reading when the timeout fired
            return;
        }
        log_line(peer_ + ": no progress for " + std::to_string(server_.options_.idle_timeout.count()) +
                 " ms, closing");
        server_.close(*this);
    }
    // END SOLUTION
}

void EchoServer::Connection::send_or_queue(evbuffer* bytes) {
    // BEGIN SOLUTION send_or_queue
    evbuffer* output = bev_.output();
    if (::evbuffer_get_length(output) == 0) {
        // Nothing queued: write straight from bytes. Whatever the socket does not take (EAGAIN, or an
        // error that libevent's next write will report) stays in bytes and is queued below.
        ::evbuffer_write(bytes, bev_.fd());
    }
    ::evbuffer_add_buffer(output, bytes);  // moves the chains, copies nothing; libevent writes them later
    // END SOLUTION
}

bool EchoServer::Connection::read_more() {
    // BEGIN SOLUTION read_more
    const std::size_t queued = ::evbuffer_get_length(bev_.output());
    if (queued >= server_.options_.high_watermark) {
        return true;
    }
    const std::size_t room = std::min(server_.options_.high_watermark - queued, kReadMoreBudget);
    evbuffer_iovec space[2];
    const int vectors = ::evbuffer_reserve_space(extra_.get(), static_cast<ev_ssize_t>(room), space, 2);
    if (vectors < 0) {
        throw std::bad_alloc();
    }
    iovec targets[2];
    for (int i = 0; i < vectors; ++i) {
        targets[i] = {space[i].iov_base, space[i].iov_len};
    }
    ssize_t n = 0;
    do {
        n = ::readv(bev_.fd(), targets, vectors);
    } while (n < 0 && errno == EINTR);
    const int error = errno;
    auto left = static_cast<std::size_t>(std::max<ssize_t>(n, 0));
    for (int i = 0; i < vectors; ++i) {  // commit exactly what arrived, possibly nothing
        space[i].iov_len = std::min(space[i].iov_len, left);
        left -= space[i].iov_len;
    }
    ::evbuffer_commit_space(extra_.get(), space, n > 0 ? vectors : 0);
    if (n > 0) {
        send_or_queue(extra_.get());
        return true;
    }
    if (n < 0 && (error == EAGAIN || error == EWOULDBLOCK)) {
        return true;  // nothing more for now
    }
    bev_.disable(EV_READ);  // what libevent does when its own read sees EOF or an error
    if (n == 0) {
        return on_eof();
    }
    log_line(peer_ + ": " + std::system_category().message(error));
    server_.close(*this);
    return false;
    // END SOLUTION
}

bool EchoServer::Connection::on_eof() {
    // BEGIN SOLUTION on_eof
    closing_ = true;  // reading has stopped; finish the echo, then close
    if (::evbuffer_get_length(bev_.output()) > 0) {
        return true;  // on_write closes once the output drained
    }
    ::shutdown(bev_.fd(), SHUT_WR);
    server_.close(*this);
    return false;
    // END SOLUTION
}

EchoServer::EchoServer(EventBase& base, const HostPort& where, EchoOptions options)
    : base_(base),
      options_(options),
      listener_(
          base, where,
          [this](UniqueFd client, const sockaddr* peer, socklen_t length) {
              on_accept(std::move(client), peer, length);
          },
          [this](int error) { on_accept_error(error); }),
      retry_accept_(base, [this] { update_accepting(); }) {}

EchoServer::~EchoServer() = default;

void EchoServer::on_accept(UniqueFd client, const sockaddr* peer, socklen_t peer_length) {
    // BEGIN SOLUTION on_accept
    std::unique_ptr<Connection> connection;
    try {
        connection = std::make_unique<Connection>(*this, BufferEvent(base_, std::move(client)),
                                                  to_string(peer, peer_length));
    } catch (const std::runtime_error& error) {  // e.g. out of memory for one client: drop only that one
        log_line(std::string("dropping a new connection: ") + error.what());
        return;
    }
    Connection& c = *connection;
    connections_.emplace(&c, std::move(connection));
    c.bev().set_callbacks([&c] { c.on_read(); }, [&c] { c.on_write(); },
                          [&c](short events, int error) { c.on_event(events, error); });
    c.bev().set_timeouts(options_.idle_timeout, options_.idle_timeout);
    c.bev().set_write_low_watermark(options_.high_watermark / 2);
    c.bev().set_max_single_write(kReadMoreBudget);  // libevent's 16 KiB default would cap bulk echo
    c.bev().enable(EV_READ | EV_WRITE);
    update_accepting();  // at the limit: stop accepting; the next clients wait in the backlog
    // END SOLUTION
}

void EchoServer::on_accept_error(int error) {
    const std::string reason = "accept: " + std::system_category().message(error);
    if (!out_of_resources(error)) {
        log_line(reason + " (skipped)");  // a pending network error of one would-be client
        return;
    }
    log_line(reason + "; accepting again in 100 ms or when a connection ends");
    retry_accept_.start(100ms);
    update_accepting();
}

void EchoServer::close(Connection& connection) {
    connections_.erase(&connection);  // frees the bufferevent and closes its socket
    retry_accept_.stop();             // a descriptor was just freed: no need to wait for the retry
    update_accepting();
}

void EchoServer::update_accepting() {
    const bool wanted = connections_.size() < options_.max_connections && !retry_accept_.pending();
    if (wanted == accepting_) {
        return;
    }
    if (wanted) {
        listener_.enable();
    } else {
        listener_.disable();
    }
    accepting_ = wanted;
}

}  // namespace netlab::libevent
