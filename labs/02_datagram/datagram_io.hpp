#pragma once
// This file shows:
//  - one send is one datagram, and one receive returns exactly one datagram: UDP keeps
//    message boundaries, so there is no "read until you have it all" loop;
//  - a datagram bigger than the buffer is truncated by the kernel and the rest is gone:
//    MSG_TRUNC tells us, and the true size, so we never mistake a cut datagram for a whole one;
//  - a datagram of 0 bytes is a real datagram, not end-of-file (UDP has nothing to close);
//  - waiting with a deadline, where "nothing came" is a value, not an exception.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <system_error>

#include "02_datagram/peer_address.hpp"

namespace netlab::datagram {

/// The largest UDP payload there can be (the UDP length field is 16 bits); a buffer this big never truncates.
inline constexpr std::size_t kMaxUdpPayload = 65535;

/// What one receive found. The bytes themselves are in the caller's buffer.
struct Datagram {
    std::size_t size = 0;    ///< the datagram's true size, even when it did not fit the buffer
    bool truncated = false;  ///< true when size > buffer: only the first buffer.size() bytes were kept
    PeerAddress sender;      ///< who sent it (for a reply with send_datagram_to)
};

/// Sends bytes as one datagram on a connected socket. Returns bytes.size(); a short send is an
/// error (retrying would make a second datagram). EINTR-safe; MSG_NOSIGNAL. Throws
/// std::system_error("send"): EMSGSIZE when too big, ECONNREFUSED after an ICMP port unreachable.
std::size_t send_datagram(int fd, std::span<const std::byte> bytes);

/// Like send_datagram, to peer on an unconnected socket. Throws std::system_error("sendto").
std::size_t send_datagram_to(int fd, std::span<const std::byte> bytes, const PeerAddress& peer);

/// Blocks until one datagram arrives and stores what fits in buffer. EINTR-safe.
/// Throws std::system_error("recvmsg"), e.g. ECONNREFUSED on a connected socket whose peer is closed.
Datagram receive_datagram(int fd, std::span<std::byte> buffer);

/// Like receive_datagram, but waits at most timeout: std::nullopt when none came in time.
/// The deadline holds across EINTR. Never blocks after poll() said "readable".
std::optional<Datagram> receive_datagram_within(int fd, std::span<std::byte> buffer,
                                                std::chrono::milliseconds timeout);

/// True for errors about one peer or one datagram (ECONNREFUSED, EHOSTUNREACH, EMSGSIZE...):
/// a server logs them and keeps serving; any other error means the socket itself is broken.
bool is_peer_error(const std::error_code& error) noexcept;

}  // namespace netlab::datagram
