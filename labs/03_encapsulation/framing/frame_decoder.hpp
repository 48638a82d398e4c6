#pragma once
// This file shows:
//  - the buffer a connection needs between "bytes arrived" and "a whole message is here":
//    reads land in it (recv() straight into writable(), or feed() a copy), frames come out
//    of it with pop() as views into it, and nothing else is copied;
//  - bounded memory per connection: at most one largest frame (plus its prefix) is held, and
//    the buffer grows only as bytes actually arrive, so a peer that announces a large frame and
//    then trickles cannot make us allocate it;
//  - a sticky error: once the stream is broken, it stays broken until reset().
//
// The loop of a non-blocking reader (lab 04) with a core::TcpStream:
//
//     for (;;) {
//         const IoResult got = stream.read_some(decoder.writable());
//         if (!got) break;                                  // would-block, or end of stream
//         decoder.commit(got.size);
//         while (const FrameResult frame = decoder.pop()) handle(frame.payload);
//         if (decoder.failed()) { drop the peer; break; }
//     }
//
// Popping every complete frame after each read guarantees writable() is never empty there.

#include <cstddef>
#include <memory>
#include <span>

#include "03_encapsulation/framing/frame_codec.hpp"

namespace netlab::core {

/// Reassembles length-prefixed frames from a byte stream that arrives in pieces of any size.
/// Not thread-safe: one decoder per connection, used by one thread at a time.
class FrameDecoder {
public:
    /// The buffer offers at least this much room for a read (less only near the limit).
    static constexpr std::size_t kMinReadSpace = 16 * 1024;

    /// A decoder that accepts payloads up to max_frame bytes; allocates nothing yet.
    explicit FrameDecoder(std::size_t max_frame = kDefaultMaxFrame);

    /// Free room at the end of the buffer to receive into; call commit(n) after filling n bytes.
    /// Empty only while a whole frame waits to be popped, or after an error. Invalidates payloads pop()
    /// returned.
    std::span<std::byte> writable();
    /// Marks the first n bytes of the last writable() as received. Throws std::out_of_range if n is larger.
    void commit(std::size_t n);
    /// Copies in as many of bytes as fit; returns how many. Fewer than bytes.size() only while a whole
    /// frame waits to be popped, or after an error: pop, then feed the rest. Invalidates payloads pop()
    /// returned.
    std::size_t feed(std::span<const std::byte> bytes);
    /// The next frame (a view into the buffer, valid until the next writable(), feed() or reset()),
    /// need_more, or error. An error is sticky: every later pop() returns it until reset().
    FrameResult pop();
    /// Forgets the buffered bytes and any error, so the decoder can serve a new stream. Keeps the buffer.
    void reset() noexcept;

    /// Bytes received but not yet popped.
    [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_; }
    /// True once the stream announced a frame above max_frame(); see reset().
    [[nodiscard]] bool failed() const noexcept { return failed_.status == ParseStatus::error; }
    /// The largest payload accepted.
    [[nodiscard]] std::size_t max_frame() const noexcept { return max_frame_; }
    /// Bytes allocated for the buffer now; never above capacity_limit().
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// The most the buffer may ever hold: the larger of kMinReadSpace and one largest frame with its prefix.
    [[nodiscard]] std::size_t capacity_limit() const noexcept { return capacity_limit_; }

private:
    std::size_t max_frame_;
    std::size_t capacity_limit_;
    std::unique_ptr<std::byte[]> buffer_;  // [begin_, end_) is received and not yet popped
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t offered_ = 0;  // the size of the last writable() span, the most commit() may add
    FrameResult failed_;       // status error once the stream broke
};

}  // namespace netlab::core
