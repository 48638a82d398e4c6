// This file shows:
//  - fuzzing a pure decoder against itself: the same bytes decoded in one piece (decode_frame)
//    and in reads of any size (FrameDecoder) must give the same frames and the same ending;
//  - a round trip as the oracle for the chat layer: whatever decode_chat accepts must encode
//    back to exactly the bytes it came from;
//  - checking the promises the headers make (bounded memory, views inside the input) on every input.
//
// Input: byte 0 picks the maximum frame size, byte 1 the read size, the rest is the stream.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_codec.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"

namespace {

using netlab::ParseStatus;
using netlab::core::FrameDecoder;
using netlab::core::FrameResult;

/// Stops the run with a reproducer when a promise is broken.
void require(bool promise) {
    if (!promise) {
        std::abort();
    }
}

/// The chat layer on one frame: anything accepted must encode back to the same bytes.
void check_chat(std::span<const std::byte> payload) {
    const netlab::core::ChatDecodeResult decoded = netlab::core::decode_chat(payload);
    if (!decoded) {
        require(!decoded.error.empty());
        return;
    }
    const std::vector<std::byte> again = netlab::core::encode_chat(decoded.message);
    require(again.size() == payload.size());
    require(std::memcmp(again.data(), payload.data(), payload.size()) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::size_t max_frame = data[0] == 0xff ? netlab::core::kMaxChatMessage : std::size_t{data[0]} * 20;
    const std::size_t read_size = 1 + std::size_t{data[1]} * 4;
    const auto stream = std::as_bytes(std::span(data + 2, size - 2));

    // 1. In one piece: the frames, then need_more or error.
    std::vector<std::span<const std::byte>> frames;
    std::span<const std::byte> rest = stream;
    FrameResult last;
    for (;;) {
        last = netlab::core::decode_frame(rest, max_frame);
        if (!last) {
            break;
        }
        require(last.consumed == netlab::core::kLengthPrefixSize + last.payload.size());
        require(last.payload.size() <= max_frame && last.consumed <= rest.size());
        require(last.payload.data() == rest.data() + netlab::core::kLengthPrefixSize);
        frames.push_back(last.payload);
        check_chat(last.payload);
        rest = rest.subspan(last.consumed);
    }
    require(last.status == ParseStatus::need_more || last.length > max_frame);

    // 2. In reads of read_size: the same frames, the same ending, memory within the limit.
    FrameDecoder decoder(max_frame);
    std::size_t next = 0;
    bool failed = false;
    for (std::size_t at = 0; at < stream.size() && !failed; at += read_size) {
        auto piece = stream.subspan(at, std::min(read_size, stream.size() - at));
        while (!piece.empty() && !failed) {
            const std::size_t taken = decoder.feed(piece);
            piece = piece.subspan(taken);
            require(decoder.capacity() <= decoder.capacity_limit());
            bool popped = false;
            for (;;) {
                const FrameResult result = decoder.pop();
                if (result.status == ParseStatus::error) {
                    failed = true;
                    require(result.length == last.length && last.status == ParseStatus::error);
                    break;
                }
                if (!result) {
                    break;
                }
                require(next < frames.size());
                require(result.payload.size() == frames[next].size());
                require(result.payload.empty() ||
                        std::memcmp(result.payload.data(), frames[next].data(), frames[next].size()) == 0);
                ++next;
                popped = true;
            }
            require(taken > 0 || popped || failed);
        }
    }
    require(next == frames.size());
    require(failed == (last.status == ParseStatus::error));
    require(failed || decoder.buffered() == rest.size());
    return 0;
}
