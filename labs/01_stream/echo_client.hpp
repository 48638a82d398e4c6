#pragma once
// This file shows:
//  - the client side of an echo: send and receive at the same time, or a large payload
//    deadlocks once both directions' socket buffers are full;
//  - half-close from the client: shutdown(SHUT_WR) after the last byte, then read to EOF;
//  - a blocking socket that cannot wait forever: SO_SNDTIMEO and SO_RCVTIMEO bound each send()
//    and recv(), and a wait counts only while the server owes us something.

#include <chrono>

namespace netlab::stream {

/// Sends everything read from input on the connected socket (on a second thread), half-closes,
/// and writes all that comes back to output until end of stream. Throws on any failure, including
/// a server that ends the stream before all input was sent, and a server that moved no byte for
/// progress_timeout while it owed us some (it does not read, or sends neither the echo nor its
/// FIN after our half-close); 0 waits forever. Sets SO_SNDTIMEO/SO_RCVTIMEO; closes no descriptor.
void echo_stream(int socket, int input, int output, std::chrono::seconds progress_timeout);

}  // namespace netlab::stream
