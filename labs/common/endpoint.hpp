#pragma once
// This file shows:
//  - the HOST:PORT syntax every lab program uses, with [IPv6]:PORT;
//  - turning a sockaddr back into text with getnameinfo (numeric, no DNS).

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netlab {

/// A host (name, IPv4 or IPv6 literal without brackets) and a port.
struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

/// Parses "HOST:PORT", "[IPV6]:PORT"; nullopt when malformed or the port is not 0..65535.
std::optional<HostPort> parse_host_port(std::string_view text);

/// Parses a decimal port 0..65535; nullopt otherwise (no sign, no spaces, no trailing junk).
std::optional<std::uint16_t> parse_port(std::string_view text);

/// "1.2.3.4:80" or "[::1]:80" for an AF_INET/AF_INET6 address. Throws std::system_error("getnameinfo").
std::string to_string(const sockaddr* address, socklen_t length);

/// The address a socket is bound to, as to_string gives it. Throws std::system_error("getsockname").
std::string local_endpoint(int fd);

/// The address of the connected peer, as to_string gives it. Throws std::system_error("getpeername").
std::string peer_endpoint(int fd);

/// HOST:PORT with brackets around an IPv6 literal.
std::string format_host_port(const HostPort& endpoint);

}  // namespace netlab
