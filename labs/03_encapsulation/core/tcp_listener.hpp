#pragma once
// This file shows:
//  - a listening socket as its own type: it can only accept, and what it accepts is a TcpStream,
//    so a listener can never be read from by mistake;
//  - port 0: bind picks a free port, and local_address() tells which (tests and scripts use it);
//  - accept on a non-blocking listener: "no client is waiting" is a value (nullopt), and the
//    errors a departed client leaves behind (ECONNABORTED...) are skipped, not thrown.

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "03_encapsulation/core/address.hpp"
#include "03_encapsulation/core/tcp_stream.hpp"
#include "common/unique_fd.hpp"

namespace netlab::core {

/// One accepted connection and who it is from.
struct Accepted {
    TcpStream stream;  ///< the new connection, owned by whoever holds this
    Address peer;      ///< the client's address and port, as accept() reported it
};

/// A listening TCP socket. Move-only.
class TcpListener {
public:
    /// An empty listener: no socket.
    TcpListener() noexcept = default;

    /// socket + SO_REUSEADDR + bind + listen on address (IPv4 or IPv6; port 0 = a free port).
    /// Close-on-exec. Throws std::system_error naming the call, e.g. "bind 127.0.0.1:80".
    static TcpListener bind(const Address& address, int backlog = SOMAXCONN);
    /// Resolves host:port for binding (empty host = any address) and binds the first address
    /// that works. Throws std::system_error ("getaddrinfo ..." or the last address's failure).
    static TcpListener bind(const std::string& host, std::uint16_t port, int backlog = SOMAXCONN);

    /// The next connection, its socket close-on-exec and in mode. nullopt only when the listener is
    /// non-blocking and nobody is waiting. Retries EINTR and the errors of clients that left early.
    /// Throws std::system_error("accept"), e.g. EMFILE when out of descriptors (the client waits on).
    std::optional<Accepted> accept(StreamMode mode = StreamMode::blocking);

    /// Turns O_NONBLOCK on or off for the listener (not for the streams it accepts). Throws
    /// std::system_error("fcntl").
    void set_nonblocking(bool on = true);
    /// The bound address, with the real port after binding port 0. Throws std::system_error("getsockname").
    [[nodiscard]] Address local_address() const;
    /// The socket, still owned by the listener (for poll/epoll); -1 when empty.
    [[nodiscard]] int get() const noexcept { return socket_.get(); }
    /// True while the listener holds a socket.
    [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(socket_); }

private:
    explicit TcpListener(UniqueFd socket) noexcept : socket_(std::move(socket)) {}

    UniqueFd socket_;
};

}  // namespace netlab::core
