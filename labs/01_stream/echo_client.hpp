#pragma once
// This file shows:
//  - the client side of an echo: send and receive at the same time, or a large payload
//    deadlocks once both directions' socket buffers are full;
//  - half-close from the client: shutdown(SHUT_WR) after the last byte, then read to EOF.

namespace netlab::stream {

/// Sends everything read from input on the connected socket (on a second thread), half-closes,
/// and writes all that comes back to output until end of stream. Throws on any failure, including
/// a server that ends the stream before all input was sent. Does not close any descriptor.
void echo_stream(int socket, int input, int output);

}  // namespace netlab::stream
