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
//    read_more() takes the rest in one readv() of up to 256 KiB: about 12 system calls per MiB;
//  - and every bufferevent read asks ioctl(FIONREAD) first. With direct_read, on_readable() does
//    one recv() of up to 256 KiB instead: a small message costs recv + send, as in lab 04, and a
//    backed-up echo is read straight into the output queue's free space, copying nothing.

#include "05_libevent/echo/echo_connection.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "common/log.hpp"

namespace netlab::libevent {
namespace {

constexpr std::size_t kLibeventReadCap = 4096;  // EVBUFFER_MAX_READ: libevent 2.1's largest read

/// recv() that retries EINTR; returns what recv() returned, with its errno in error.
ssize_t receive(int fd, void* into, std::size_t size, int& error) {
    ssize_t n = 0;
    do {
        n = ::recv(fd, into, size, 0);
    } while (n < 0 && errno == EINTR);
    error = n < 0 ? errno : 0;
    return n;
}

}  // namespace

void EchoServer::Connection::on_read() {
    // BEGIN SOLUTION on_read
    const std::size_t got = ::evbuffer_get_length(bev_.input());
    send_or_queue(bev_.input());
    if (got >= kLibeventReadCap && !read_more()) {
        return;  // the connection ended while reading more: it no longer exists
    }
    if (::evbuffer_get_length(bev_.output()) >= server_.options_.high_watermark) {
        pause_reading();  // backpressure: read no more until the echo drained
    }
    // END SOLUTION
}

void EchoServer::Connection::on_readable(bool timed_out) {
    if (timed_out) {
        if (::evbuffer_get_length(bev_.output()) > 0) {
            return;  // quiet, but its echo is still flowing out (a stalled write has its own timeout)
        }
        log::line(peer_ + ": no progress for " + std::to_string(server_.options_.idle_timeout.count()) +
                  " ms, closing");
        server_.close(*this);
        return;
    }
    evbuffer* output = bev_.output();
    const std::size_t queued = ::evbuffer_get_length(output);
    if (queued >= server_.options_.high_watermark) {
        pause_reading();  // (reading pauses when the echo reaches the watermark; this is only a guard)
        return;
    }
    int error = 0;
    ssize_t n = 0;
    if (queued == 0) {  // the common case: read into our buffer and send from it
        std::vector<std::byte>& buffer = server_.read_buffer_;
        n = receive(bev_.socket_fd(), buffer.data(), buffer.size(), error);
        if (n > 0) {
            send_or_queue(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
        }
    } else {  // the echo is backed up: read straight into the output queue's free space, no copy
        const std::size_t room = std::min(kEchoReadBudget, server_.options_.high_watermark - queued);
        evbuffer_iovec space{};
        if (::evbuffer_reserve_space(output, static_cast<ev_ssize_t>(room), &space, 1) < 1) {
            throw std::bad_alloc();
        }
        n = receive(bev_.socket_fd(), space.iov_base, std::min(space.iov_len, room), error);
        space.iov_len = n > 0 ? static_cast<std::size_t>(n) : 0;
        ::evbuffer_commit_space(output, &space, n > 0 ? 1 : 0);  // libevent writes it when it can
    }
    if (n > 0) {
        if (::evbuffer_get_length(output) >= server_.options_.high_watermark) {
            pause_reading();
        }
        return;
    }
    if (n < 0 && (error == EAGAIN || error == EWOULDBLOCK)) {
        return;  // level-triggered: readiness was real, but someone else took it; wait for the next
    }
    reader_->stop();
    if (n == 0) {
        on_eof();  // may destroy this connection
        return;
    }
    log::line(peer_ + ": " + std::system_category().message(error));
    server_.close(*this);
}

void EchoServer::Connection::start_direct_reading() {
    reader_.emplace(server_.base_, bev_.socket_fd(), [this](bool timed_out) { on_readable(timed_out); });
    reader_->start(server_.options_.idle_timeout);
}

void EchoServer::Connection::pause_reading() {
    if (reader_) {
        reader_->stop();
    } else {
        bev_.disable(EV_READ);
    }
    reading_paused_ = true;
}

void EchoServer::Connection::resume_reading() {
    if (reader_) {
        reader_->start(server_.options_.idle_timeout);
    } else {
        bev_.enable(EV_READ);
    }
    reading_paused_ = false;
}

void EchoServer::Connection::on_write() {
    // BEGIN SOLUTION on_write
    if (closing_) {
        if (::evbuffer_get_length(bev_.output()) == 0) {
            ::shutdown(bev_.socket_fd(), SHUT_WR);  // "that was everything"; close() then frees the socket
            server_.close(*this);                   // destroys this connection: touch nothing after it
        }
        return;
    }
    if (reading_paused_) {  // we only get here once output drained to the low watermark
        resume_reading();
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
        log::line(peer_ + ": " + std::system_category().message(error));
        server_.close(*this);
        return;
    }
    if ((events & BEV_EVENT_TIMEOUT) != 0) {
        if ((events & BEV_EVENT_READING) != 0 && !closing_ && ::evbuffer_get_length(bev_.output()) > 0) {
            // Quiet, but its echo is still flowing out (a stalled write has its own timeout): not idle.
            bev_.enable(EV_READ);  // libevent disabled reading when the timeout fired
            return;
        }
        log::line(peer_ + ": no progress for " + std::to_string(server_.options_.idle_timeout.count()) +
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
        ::evbuffer_write(bytes, bev_.socket_fd());
    }
    ::evbuffer_add_buffer(output, bytes);  // moves the chains, copies nothing; libevent writes them later
    // END SOLUTION
}

void EchoServer::Connection::send_or_queue(std::span<const std::byte> bytes) {
    evbuffer* output = bev_.output();
    if (::evbuffer_get_length(output) == 0) {
        // Nothing queued: straight to the kernel. EAGAIN or an error leaves the rest to be queued;
        // libevent's own write then reports the error through on_event.
        const ssize_t sent = ::send(bev_.socket_fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        bytes = bytes.subspan(static_cast<std::size_t>(std::max<ssize_t>(sent, 0)));
    }
    if (!bytes.empty() && ::evbuffer_add(output, bytes.data(), bytes.size()) < 0) {
        throw std::bad_alloc();  // copied in; libevent writes it when the socket has room
    }
}

bool EchoServer::Connection::read_more() {
    // BEGIN SOLUTION read_more
    const std::size_t queued = ::evbuffer_get_length(bev_.output());
    if (queued >= server_.options_.high_watermark) {
        return true;
    }
    const std::size_t room = std::min(server_.options_.high_watermark - queued, kEchoReadBudget);
    evbuffer_iovec space[2];
    const int vectors = ::evbuffer_reserve_space(extra_.get(), static_cast<ev_ssize_t>(room), space, 2);
    if (vectors < 0) {
        throw std::bad_alloc();
    }
    // libevent may reserve more than room (it rounds up to whole chunks): read into all of it. One
    // readv then takes what a 512 KiB chunk holds, and the queue passes the watermark by at most
    // one chunk, still a bound; cutting each read to room costs bulk transfers about a quarter.
    iovec targets[2];
    for (int i = 0; i < vectors; ++i) {
        targets[i] = {space[i].iov_base, space[i].iov_len};
    }
    ssize_t n = 0;
    do {
        n = ::readv(bev_.socket_fd(), targets, vectors);
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
    log::line(peer_ + ": " + std::system_category().message(error));
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
    ::shutdown(bev_.socket_fd(), SHUT_WR);
    server_.close(*this);
    return false;
    // END SOLUTION
}

}  // namespace netlab::libevent
