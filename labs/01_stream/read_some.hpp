#pragma once
// This file shows:
//  - the three outcomes of one read from a stream: some bytes, the end of the stream
//    (the peer sent FIN), or an error; the first two are values, the third an exception.

#include <cstddef>
#include <span>

namespace netlab::stream {

/// What one read_some call got: some bytes at the start of the buffer, or the end of the stream.
struct ReadResult {
    std::size_t size = 0;  ///< bytes now at the start of the buffer; 0 at end of stream
    bool eof = false;      ///< true when the peer closed its sending side (no more bytes will come)

    /// True when bytes arrived; false at end of stream.
    explicit operator bool() const noexcept { return !eof; }
};

/// One recv() on a blocking socket: waits until at least one byte or end of stream, retrying EINTR.
/// An empty buffer reads nothing and is not end of stream. Errors throw std::system_error("recv"),
/// EAGAIN included (SO_RCVTIMEO ran out: the caller decides what a timeout means).
ReadResult read_some(int fd, std::span<std::byte> buffer);

}  // namespace netlab::stream
