#pragma once
// This file shows:
//  - the whole echo protocol of one connection: every byte back, in order, and a
//    half-close (FIN) once the client has finished sending.

namespace netlab::stream {

/// Echoes everything read from the connected socket fd until the peer's end of stream, then
/// shuts down our sending side (SHUT_WR) so the peer reads EOF. Does not close fd (the caller owns it).
/// Throws std::system_error when the connection fails (reset, ...).
void echo_connection(int fd);

}  // namespace netlab::stream
