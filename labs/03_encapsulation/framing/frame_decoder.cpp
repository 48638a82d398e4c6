// This file shows:
//  - compacting: popped frames leave a gap at the front; when the room behind the data runs
//    short, the bytes not yet popped move to the front (memmove: the ranges may overlap);
//  - growth that follows the bytes, not the peer's claim: room for the rest of the announced
//    frame, but never more than has arrived so far, and never above the limit;
//  - make_unique_for_overwrite: a receive buffer need not be zeroed first.

#include "03_encapsulation/framing/frame_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace netlab::core {

FrameDecoder::FrameDecoder(std::size_t max_frame)
    : max_frame_(std::min(max_frame, kLargestEncodableFrame)),
      capacity_limit_(std::max(kMinReadSpace, kLengthPrefixSize + max_frame_)) {}

std::span<std::byte> FrameDecoder::writable() {
    // BEGIN SOLUTION writable
    offered_ = 0;
    if (failed()) {
        return {};
    }
    const std::size_t held = end_ - begin_;
    const FrameResult next = decode_frame({buffer_.get() + begin_, held}, max_frame_);
    if (next.status == ParseStatus::error) {
        failed_ = next;
        return {};
    }
    // Room for kMinReadSpace; for a large frame on its way, room for the rest of it, but never more
    // than has arrived so far: memory grows with what the peer sent, not with what it announced.
    std::size_t room = kMinReadSpace;
    if (next.status == ParseStatus::need_more && held >= kLengthPrefixSize) {
        room = std::max(room, std::min(kLengthPrefixSize + next.length - held, held));
    }
    const std::size_t wanted = std::min(held + room, capacity_limit_);
    if (capacity_ < wanted) {
        auto bigger = std::make_unique_for_overwrite<std::byte[]>(wanted);
        if (held > 0) {
            std::memcpy(bigger.get(), buffer_.get() + begin_, held);
        }
        buffer_ = std::move(bigger);
        capacity_ = wanted;
        begin_ = 0;
        end_ = held;
    } else if (begin_ > 0 && capacity_ - end_ < wanted - held) {
        if (held > 0) {
            std::memmove(buffer_.get(), buffer_.get() + begin_, held);
        }
        begin_ = 0;
        end_ = held;
    }
    offered_ = capacity_ - end_;
    return {buffer_.get() + end_, offered_};
    // END SOLUTION
}

void FrameDecoder::commit(std::size_t n) {
    if (n > offered_) {
        throw std::out_of_range("FrameDecoder::commit: " + std::to_string(n) +
                                " bytes, but writable() offered " + std::to_string(offered_));
    }
    end_ += n;
    offered_ -= n;
}

std::size_t FrameDecoder::feed(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION feed
    std::size_t taken = 0;
    while (taken < bytes.size()) {
        const std::span<std::byte> room = writable();
        if (room.empty()) {
            break;
        }
        const std::size_t n = std::min(room.size(), bytes.size() - taken);
        std::memcpy(room.data(), bytes.data() + taken, n);
        commit(n);
        taken += n;
    }
    return taken;
    // END SOLUTION
}

FrameResult FrameDecoder::pop() {
    // BEGIN SOLUTION pop
    if (failed()) {
        return failed_;
    }
    const FrameResult result = decode_frame({buffer_.get() + begin_, end_ - begin_}, max_frame_);
    if (result.status == ParseStatus::complete) {
        begin_ += result.consumed;
        if (begin_ == end_) {
            begin_ = end_ = 0;  // empty: the next read starts at the front, no compaction needed
        }
    } else if (result.status == ParseStatus::error) {
        failed_ = result;
    }
    return result;
    // END SOLUTION
}

void FrameDecoder::reset() noexcept {
    begin_ = end_ = offered_ = 0;
    failed_ = FrameResult{};
}

}  // namespace netlab::core
