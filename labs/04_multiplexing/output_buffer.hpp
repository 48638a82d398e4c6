#pragma once
// This file shows:
//  - what a non-blocking writer keeps per connection: the bytes the kernel did not take yet, in
//    order, sent later when the socket says it has room (EPOLLOUT / POLLOUT);
//  - a FIFO of bytes in one contiguous vector: appended at the back, sent from the front; the
//    sent prefix is skipped by an offset and reclaimed by compaction, never by a copy per send;
//  - memory that follows the backlog: a buffer that drains gives its large allocation back, so a
//    burst toward one slow reader does not stay pinned for the connection's life.
// The buffer itself has no limit: its owner checks size() against its own bound before it
// appends (backpressure in epoll_echo, dropping a slow reader in poll_chat).

#include <cstddef>
#include <span>
#include <vector>

namespace netlab::multiplexing {

/// Bytes waiting to be sent on one connection, oldest first. Not thread-safe.
class OutputBuffer {
public:
    /// A buffer that drains keeps an allocation up to this size for reuse, and frees a larger one.
    static constexpr std::size_t kRetainedCapacity = 64 * 1024;

    /// The bytes not sent yet, oldest first; valid until the next append, consume or clear.
    [[nodiscard]] std::span<const std::byte> pending() const noexcept {
        return std::span(bytes_).subspan(head_);
    }
    /// How many bytes are waiting.
    [[nodiscard]] std::size_t size() const noexcept { return bytes_.size() - head_; }
    /// True when nothing is waiting.
    [[nodiscard]] bool empty() const noexcept { return head_ == bytes_.size(); }
    /// Bytes allocated now (at least size()).
    [[nodiscard]] std::size_t capacity() const noexcept { return bytes_.capacity(); }

    /// Queues bytes after the ones already waiting. Moves the waiting bytes to the front first
    /// when that makes room, so the allocation stays near the backlog's size.
    void append(std::span<const std::byte> bytes);
    /// Forgets the first n waiting bytes (the kernel took them). Throws std::out_of_range when
    /// n > size(). Once empty, frees an allocation above kRetainedCapacity.
    void consume(std::size_t n);
    /// Forgets every waiting byte and frees an allocation above kRetainedCapacity.
    void clear() noexcept;

private:
    std::vector<std::byte> bytes_;  // [head_, size) waits to be sent; [0, head_) was sent
    std::size_t head_ = 0;
};

}  // namespace netlab::multiplexing
