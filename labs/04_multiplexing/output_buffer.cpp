// This file shows:
//  - compaction: when the back is full and the bytes already sent left at least as much dead
//    space at the front as is waiting, the waiting bytes move down (memmove: the ranges may
//    overlap) instead of the vector growing forever; otherwise it doubles, copying only them;
//  - an offset for "sent", so consume() is O(1) and a partial send copies nothing.

#include "04_multiplexing/output_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace netlab::multiplexing {

void OutputBuffer::append(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION OutputBuffer::append
    const std::size_t waiting = size();
    if (bytes_.size() + bytes.size() > bytes_.capacity()) {  // no room behind the waiting bytes
        if (head_ >= waiting && waiting + bytes.size() <= bytes_.capacity()) {
            // The sent prefix is dead space, at least as large as what we move: reuse it.
            std::memmove(bytes_.data(), bytes_.data() + head_, waiting);
            bytes_.resize(waiting);
        } else {
            // Grow (at least double, so appends stay amortised O(1)), copying only the waiting bytes.
            std::vector<std::byte> bigger;
            bigger.reserve(std::max(waiting + bytes.size(), 2 * bytes_.capacity()));
            bigger.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(head_), bytes_.end());
            bytes_.swap(bigger);
        }
        head_ = 0;
    }
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    // END SOLUTION
}

void OutputBuffer::consume(std::size_t n) {
    // BEGIN SOLUTION OutputBuffer::consume
    if (n > size()) {
        throw std::out_of_range("OutputBuffer::consume: " + std::to_string(n) + " bytes, but only " +
                                std::to_string(size()) + " are waiting");
    }
    head_ += n;
    if (head_ == bytes_.size()) {
        clear();  // drained: the next append starts at the front, no compaction needed
    }
    // END SOLUTION
}

void OutputBuffer::clear() noexcept {
    head_ = 0;
    if (bytes_.capacity() > kRetainedCapacity) {
        std::vector<std::byte>().swap(bytes_);  // clear() alone would keep the allocation
    } else {
        bytes_.clear();
    }
}

}  // namespace netlab::multiplexing
