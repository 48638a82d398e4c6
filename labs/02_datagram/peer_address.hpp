#pragma once
// This file shows:
//  - where a datagram came from: recvfrom/recvmsg fill a sockaddr_storage, which is
//    big enough for IPv4 and IPv6, plus its real length;
//  - the same pair is what sendto needs to answer that sender;
//  - comparing two addresses by what identifies a peer (family, address, port),
//    never by raw bytes of the whole storage.

#include <sys/socket.h>

#include <string>

namespace netlab::datagram {

/// An IPv4 or IPv6 socket address, as recvmsg fills it and sendto takes it.
struct PeerAddress {
    sockaddr_storage storage{};  ///< room for any address family
    socklen_t length = 0;        ///< how much of storage is the address; 0 = none

    /// The address as the socket calls take it (valid while this object lives).
    [[nodiscard]] const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
    /// The address for a call to fill in; set length to sizeof storage before the call.
    [[nodiscard]] sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
};

/// "127.0.0.1:5000" or "[::1]:5000"; "(no address)" when length is 0.
std::string to_string(const PeerAddress& peer);

/// The bytes that tell peers apart (family, port, address, IPv6 scope), usable as a map key.
/// Throws std::invalid_argument for a family other than AF_INET/AF_INET6.
std::string identity(const PeerAddress& peer);

/// True when both name the same peer (same identity).
bool operator==(const PeerAddress& a, const PeerAddress& b);

}  // namespace netlab::datagram
