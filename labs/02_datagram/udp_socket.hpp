#pragma once
// This file shows:
//  - a UDP socket is just socket(SOCK_DGRAM): no listen, no accept, no connection;
//  - bind() picks the local address a server receives on (port 0 = any free port);
//  - connect() on UDP sends no packet: it only fixes the peer, so send() needs no
//    address, datagrams from anyone else are filtered out, and an ICMP "port
//    unreachable" comes back to us as ECONNREFUSED.

#include <cstdint>
#include <string>

#include "common/unique_fd.hpp"

namespace netlab::datagram {

/// A UDP socket bound to host:port (IPv4 or IPv6, the first address that binds; port 0 = any).
/// Close-on-exec. Throws std::system_error naming the call that failed ("getaddrinfo", "bind").
UniqueFd bind_udp(const std::string& host, std::uint16_t port);

/// A UDP socket connected to host:port (the first resolved address that connects); close-on-exec.
/// No packet is sent. Throws std::system_error naming the call that failed.
UniqueFd connect_udp(const std::string& host, std::uint16_t port);

}  // namespace netlab::datagram
