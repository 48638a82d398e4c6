#pragma once
// Test-side sockets, written independently of the labs so a broken lab cannot break the
// harness. Every blocking step takes a deadline; nothing here waits forever.

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/unique_fd.hpp"

namespace netlab::testing {

/// The loopback address of a family: "127.0.0.1" or "::1".
const char* loopback(int family);

/// A TCP listener on loopback port 0 of the family (AF_INET or AF_INET6).
UniqueFd listen_loopback(int family = AF_INET, int type = SOCK_STREAM);

/// The port a socket is bound to.
std::uint16_t bound_port(int fd);

/// A connected TCP socket to host:port (IPv4 or IPv6 literal); throws std::system_error("connect").
UniqueFd connect_to(const std::string& host, std::uint16_t port, int type = SOCK_STREAM);

/// Accepts one connection within timeout; an empty UniqueFd on timeout.
UniqueFd accept_within(int listener, std::chrono::milliseconds timeout);

/// Sends every byte (MSG_NOSIGNAL); false if the peer went away or the deadline passed.
bool send_within(int fd, const std::string& data, std::chrono::milliseconds timeout);

/// Reads until EOF; nullopt if EOF does not come before the deadline (what was read is lost).
std::optional<std::string> read_to_eof(int fd, std::chrono::milliseconds timeout);

/// Reads exactly n bytes; nullopt on EOF, error or deadline.
std::optional<std::string> read_exactly(int fd, std::size_t n, std::chrono::milliseconds timeout);

/// Sets SO_SNDBUF and SO_RCVBUF (the kernel rounds and doubles them).
void set_buffer_sizes(int fd, int send_bytes, int receive_bytes);

/// Makes close() send a RST instead of a FIN (SO_LINGER with timeout 0), then closes fd.
void reset_connection(UniqueFd fd);

}  // namespace netlab::testing
