#pragma once
// This file shows:
//  - the server's first three calls, socket + bind + listen, behind one function
//    that takes a name or a literal ("127.0.0.1", "::1", "localhost") and a port.

#include <cstdint>
#include <string>

#include "common/unique_fd.hpp"

namespace netlab::stream {

/// A listening TCP socket (SOCK_CLOEXEC, SO_REUSEADDR) on the first address of host:port that works,
/// IPv4 or IPv6; port 0 lets the kernel pick one. Throws std::system_error carrying the last failure,
/// named after the call and address ("bind 127.0.0.1:9001: Address already in use").
UniqueFd listen_tcp(const std::string& host, std::uint16_t port, int backlog);

}  // namespace netlab::stream
