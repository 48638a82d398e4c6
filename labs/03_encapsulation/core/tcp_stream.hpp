#pragma once
// This file shows:
//  - RAII for a connection (封装): the TcpStream owns its socket through a UniqueFd, so it is
//    move-only and closes exactly once, whatever path the code takes out of a scope;
//  - lab 01's raw calls behind names: recv/send with EINTR, MSG_NOSIGNAL and EAGAIN handled
//    once, here, and their outcomes (data, end of stream, would block) returned as values;
//  - one type for blocking and non-blocking use: set_nonblocking() changes what read_some and
//    write_some may return, never what they mean.

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "03_encapsulation/core/address.hpp"
#include "03_encapsulation/core/io_result.hpp"
#include "common/unique_fd.hpp"

namespace netlab::core {

/// Whether a new socket starts blocking or non-blocking (O_NONBLOCK).
enum class StreamMode { blocking, nonblocking };

/// A connected TCP socket. Move-only; one thread at a time, except shutdown_both().
class TcpStream {
public:
    /// An empty stream: no socket.
    TcpStream() noexcept = default;
    /// Adopts a connected TCP socket.
    explicit TcpStream(UniqueFd socket) noexcept : socket_(std::move(socket)) {}

    /// Connects to peer (blocking, EINTR-safe). Throws std::system_error("connect ADDRESS").
    static TcpStream connect(const Address& peer);
    /// Resolves host:port and connects to the first address that accepts. Throws std::system_error
    /// ("getaddrinfo ..." or the last address's "connect ADDRESS").
    static TcpStream connect(const std::string& host, std::uint16_t port);

    /// One recv into buffer: data (1..buffer.size() bytes; 0 only for an empty buffer), eof, or
    /// would_block (non-blocking, or SO_RCVTIMEO ran out). Blocking, it waits for a byte. Retries EINTR.
    /// Throws std::system_error("recv"), e.g. ECONNRESET.
    IoResult read_some(std::span<std::byte> buffer);
    /// One send of a prefix of bytes: data (how many were taken) or would_block (non-blocking only).
    /// Never raises SIGPIPE. Retries EINTR. Throws std::system_error("send"), e.g. EPIPE or ECONNRESET.
    IoResult write_some(std::span<const std::byte> bytes);
    /// Sends every byte, looping over short writes; on a non-blocking socket it waits (poll) for room.
    /// Throws std::system_error("send") when the connection fails; how much went out is then unknown.
    void write_all(std::span<const std::byte> bytes);
    /// Half-close (半关闭): sends FIN; the peer reads EOF, we may still read. Throws
    /// std::system_error("shutdown").
    void shutdown_write();
    /// Ends both directions (SHUT_RDWR), e.g. from another thread to wake one blocked in read_some
    /// (it reads EOF) or write_all (it throws EPIPE). The socket stays open. Errors are ignored.
    void shutdown_both() noexcept;

    /// Turns O_NONBLOCK on or off. Throws std::system_error("fcntl").
    void set_nonblocking(bool on = true);
    /// Turns Nagle's algorithm off (TCP_NODELAY) for small request/response messages, or back on.
    void set_no_delay(bool on = true);
    /// Our end's address. Throws std::system_error("getsockname").
    [[nodiscard]] Address local_address() const;
    /// The peer's address. Throws std::system_error("getpeername"), e.g. ENOTCONN after a reset.
    [[nodiscard]] Address peer_address() const;

    /// The socket, still owned by the stream (for poll/epoll); -1 when empty.
    [[nodiscard]] int get() const noexcept { return socket_.get(); }
    /// True while the stream holds a socket.
    [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(socket_); }
    /// Closes the socket now (the destructor would); the stream becomes empty.
    void close() noexcept { socket_.reset(); }

private:
    UniqueFd socket_;
};

}  // namespace netlab::core
