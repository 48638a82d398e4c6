#pragma once
// This file shows:
//  - the client's two calls, socket + connect, behind one function that takes a name
//    or a literal and tries every address the resolver returns.

#include <cstdint>
#include <string>

#include "common/unique_fd.hpp"

namespace netlab::stream {

/// A TCP socket (SOCK_CLOEXEC) connected to the first address of host:port that accepts; an empty
/// host means loopback (::1 and 127.0.0.1). Throws std::system_error carrying the last failure,
/// named after the call and address ("connect 127.0.0.1:9001: Connection refused").
UniqueFd connect_tcp(const std::string& host, std::uint16_t port);

}  // namespace netlab::stream
