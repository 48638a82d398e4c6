#pragma once
// This file shows:
//  - UDP with the same RAII and value results as TCP: one send is one datagram, one receive
//    returns one datagram (or "would block"), and there is no end of stream to report;
//  - truncation as part of the result: a datagram bigger than the buffer loses its tail, and
//    the result says so and gives the datagram's true size (MSG_TRUNC).

#include <span>

#include "03_encapsulation/core/address.hpp"
#include "03_encapsulation/core/io_result.hpp"
#include "common/unique_fd.hpp"

namespace netlab::core {

/// What one receive_from got. The bytes themselves are at the start of the caller's buffer.
struct Received {
    IoStatus status = IoStatus::would_block;  ///< data, or would_block (non-blocking only); never eof
    std::size_t size = 0;                     ///< the datagram's true size, even when it did not fit
    bool truncated = false;                   ///< size > buffer: only the first buffer.size() bytes were kept
    Address sender;                           ///< who sent it (reply with send_to)

    /// True when a datagram arrived (status data), whole or truncated.
    explicit operator bool() const noexcept { return status == IoStatus::data; }
};

/// A UDP socket. Move-only; close-on-exec.
class UdpSocket {
public:
    /// An empty socket.
    UdpSocket() noexcept = default;

    /// A socket bound to address (port 0 = a free port). Throws std::system_error("socket", "bind ADDRESS").
    static UdpSocket bind(const Address& address);
    /// An unbound socket of family (AF_INET or AF_INET6); the kernel picks its port at the first send.
    static UdpSocket open(int family);

    /// Fixes the peer: send() needs no address, datagrams from others are dropped, and an ICMP "port
    /// unreachable" comes back as ECONNREFUSED. Sends nothing. Throws std::system_error("connect ...").
    void connect(const Address& peer);
    /// Sends bytes as one datagram to peer: data (all of it) or would_block. Throws
    /// std::system_error("sendto"), e.g. EMSGSIZE when it is too big.
    IoResult send_to(std::span<const std::byte> bytes, const Address& peer);
    /// Sends bytes as one datagram to the connected peer, like send_to. Throws std::system_error("send").
    IoResult send(std::span<const std::byte> bytes);
    /// Receives one datagram into buffer (blocking unless non-blocking). Retries EINTR.
    /// Throws std::system_error("recvfrom"), e.g. ECONNREFUSED on a connected socket.
    Received receive_from(std::span<std::byte> buffer);

    /// Turns O_NONBLOCK on or off. Throws std::system_error("fcntl").
    void set_nonblocking(bool on = true);
    /// The bound address (the real port after port 0 or the first send). Throws
    /// std::system_error("getsockname").
    [[nodiscard]] Address local_address() const;
    /// The socket, still owned by this object (for poll/epoll); -1 when empty.
    [[nodiscard]] int get() const noexcept { return socket_.get(); }
    /// True while a socket is held.
    [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(socket_); }

private:
    explicit UdpSocket(UniqueFd socket) noexcept : socket_(std::move(socket)) {}

    UniqueFd socket_;
};

}  // namespace netlab::core
