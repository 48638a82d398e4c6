// This file shows:
//  - recv() == 0 is the end of the stream, EAGAIN is "not now", EINTR is "try again": three
//    things that are not errors, sorted out once so no caller has to;
//  - MSG_NOSIGNAL on every send: a write to a reset connection fails with EPIPE instead of
//    killing the process with SIGPIPE;
//  - a blocking connect() interrupted by a signal keeps connecting in the background: wait
//    until the socket is writable, then SO_ERROR tells how it ended (calling connect() again
//    would fail with EALREADY).

#include "03_encapsulation/core/tcp_stream.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <system_error>

#include "03_encapsulation/core/nonblocking.hpp"
#include "common/check.hpp"

namespace netlab::core {
namespace {

/// Waits until fd is writable (or has an error to report), retrying EINTR. Throws std::system_error("poll").
void wait_writable(int fd) {
    pollfd entry{fd, POLLOUT, 0};
    while (::poll(&entry, 1, -1) < 0) {
        if (errno != EINTR) {
            throw_errno("poll");
        }
    }
}

}  // namespace

TcpStream TcpStream::connect(const Address& peer) {
    UniqueFd socket(check_syscall("socket", ::socket(peer.family(), SOCK_STREAM | SOCK_CLOEXEC, 0)));
    int error = 0;
    if (::connect(socket.get(), peer.data(), peer.size()) < 0) {
        error = errno;
        if (error == EINTR) {  // the handshake goes on without us: wait for its outcome
            wait_writable(socket.get());
            socklen_t length = sizeof error;
            check_syscall("getsockopt SO_ERROR",
                          ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length));
        }
    }
    if (error != 0) {
        throw std::system_error(error, std::system_category(), "connect " + peer.to_string());
    }
    return TcpStream(std::move(socket));
}

TcpStream TcpStream::connect(const std::string& host, std::uint16_t port) {
    std::optional<std::system_error> last_failure;
    for (const Address& peer : Address::resolve(host, port, SOCK_STREAM)) {
        try {
            return connect(peer);
        } catch (const std::system_error& failure) {
            last_failure = failure;
        }
    }
    if (last_failure) {
        throw *last_failure;
    }
    throw std::system_error(std::make_error_code(std::errc::address_not_available), "connect " + host);
}

IoResult TcpStream::read_some(std::span<std::byte> buffer) {
    // BEGIN SOLUTION TcpStream::read_some
    if (buffer.empty()) {
        return IoResult{IoStatus::data, 0};  // recv() of 0 bytes would return 0, which reads as EOF
    }
    for (;;) {
        const ssize_t received = ::recv(get(), buffer.data(), buffer.size(), 0);
        if (received > 0) {
            return IoResult{IoStatus::data, static_cast<std::size_t>(received)};
        }
        if (received == 0) {
            return IoResult{IoStatus::eof, 0};
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return IoResult{IoStatus::would_block, 0};
        }
        if (errno != EINTR) {
            throw_errno("recv");
        }
    }
    // END SOLUTION
}

IoResult TcpStream::write_some(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION TcpStream::write_some
    if (bytes.empty()) {
        return IoResult{IoStatus::data, 0};
    }
    for (;;) {
        const ssize_t sent = ::send(get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent >= 0) {
            return IoResult{IoStatus::data, static_cast<std::size_t>(sent)};
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return IoResult{IoStatus::would_block, 0};
        }
        if (errno != EINTR) {
            throw_errno("send");
        }
    }
    // END SOLUTION
}

void TcpStream::write_all(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION TcpStream::write_all
    while (!bytes.empty()) {
        const IoResult sent = write_some(bytes);
        if (sent) {
            bytes = bytes.subspan(sent.size);
        } else {
            wait_writable(get());  // non-blocking and the send buffer is full: wait for room
        }
    }
    // END SOLUTION
}

void TcpStream::shutdown_write() {
    check_syscall("shutdown", ::shutdown(get(), SHUT_WR));
}

void TcpStream::shutdown_both() noexcept {
    ::shutdown(get(), SHUT_RDWR);  // ENOTCONN when the connection is over already: nothing to wake
}

void TcpStream::set_nonblocking(bool on) {
    core::set_nonblocking(get(), on);
}

void TcpStream::set_no_delay(bool on) {
    const int value = on ? 1 : 0;
    check_syscall("setsockopt TCP_NODELAY",
                  ::setsockopt(get(), IPPROTO_TCP, TCP_NODELAY, &value, sizeof value));
}

Address TcpStream::local_address() const {
    return local_address_of(get());
}

Address TcpStream::peer_address() const {
    return peer_address_of(get());
}

}  // namespace netlab::core
