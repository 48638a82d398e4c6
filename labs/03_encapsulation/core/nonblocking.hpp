#pragma once
// This file shows:
//  - O_NONBLOCK is a flag of the open file, changed with fcntl's read-modify-write
//    (F_GETFL, then F_SETFL), so the other flags are kept.

namespace netlab::core {

/// Turns O_NONBLOCK on (or off) for fd. Throws std::system_error("fcntl").
void set_nonblocking(int fd, bool on);

}  // namespace netlab::core
