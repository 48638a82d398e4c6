// Lab 03 Part B, FrameDecoder: frames reassembled from reads of every size from 1 to 4096 bytes,
// through both of its doors (feed() a copy, or receive into writable() and commit()), with
// payloads of 0, 1, max and max+1 bytes; bounded memory; a sticky error.

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "03_encapsulation/framing/frame_decoder.hpp"
#include "bytes.hpp"
#include "common/check.hpp"
#include "common/unique_fd.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using core::FrameDecoder;

constexpr std::size_t kMax = 3000;
constexpr std::size_t kLargestReadSize = 4096;

/// A 4-byte big-endian length prefix announcing length bytes (which need not follow).
std::string prefix_of(std::size_t length) {
    const std::uint32_t big_endian = htonl(static_cast<std::uint32_t>(length));
    return std::string(reinterpret_cast<const char*>(&big_endian), sizeof big_endian);
}

/// One frame, built by the test itself (so these tests do not depend on the encoder).
std::string frame_of(const std::string& payload) {
    return prefix_of(payload.size()) + payload;
}

/// How bytes reach the decoder: feed() copies them in; writable()+commit() is what a recv() does.
enum class Door { feed, writable };

const char* door_name(Door door) {
    return door == Door::feed ? "feed()" : "writable()+commit()";
}

/// What a decoder made of a stream.
struct Decoded {
    std::vector<std::string> frames;
    bool error = false;
    std::size_t error_length = 0;    ///< the length the bad prefix announced
    std::size_t bytes_at_error = 0;  ///< stream bytes handed over when pop() first said error
    std::size_t peak_capacity = 0;
    std::string problem;  ///< "" unless the decoder got stuck
};

/// Hands stream to decoder in reads of read_size bytes; after each read, pops every frame.
Decoded decode_in_reads(FrameDecoder& decoder, const std::string& stream, std::size_t read_size, Door door) {
    Decoded out;
    std::size_t handed = 0;
    const auto pop_all = [&] {
        for (;;) {
            const core::FrameResult result = decoder.pop();
            if (result) {
                out.frames.push_back(text_of(result.payload));
                continue;
            }
            if (result.status == ParseStatus::error && !out.error) {
                out.error = true;
                out.error_length = result.length;
                out.bytes_at_error = handed;
            }
            return;
        }
    };
    for (std::size_t at = 0; at < stream.size() && !out.error; at += read_size) {
        std::string_view piece = std::string_view(stream).substr(at, read_size);  // what one read gives
        while (!piece.empty() && !decoder.failed()) {
            std::size_t taken = 0;
            if (door == Door::feed) {
                taken = decoder.feed(bytes_of(piece));
            } else {
                const std::span<std::byte> room = decoder.writable();
                taken = std::min(room.size(), piece.size());
                if (taken > 0) {
                    std::memcpy(room.data(), piece.data(), taken);
                }
                decoder.commit(taken);
            }
            handed += taken;
            piece.remove_prefix(taken);
            out.peak_capacity = std::max(out.peak_capacity, decoder.capacity());
            const std::size_t frames_before = out.frames.size();
            pop_all();
            if (taken == 0 && out.frames.size() == frames_before && !out.error) {
                out.problem = "stuck: the decoder took no bytes, yet had no frame to pop, after " +
                              std::to_string(handed) + " bytes";
                return out;
            }
        }
    }
    pop_all();
    return out;
}

std::string describe_frames(const std::vector<std::string>& frames) {
    std::string text;
    for (const auto& frame : frames) {
        text += (text.empty() ? "" : ", ") + std::to_string(frame.size());
    }
    return "[" + text + "]";
}

GRADED_TEST(Lab03Framing, PayloadsOfZeroOneAndMaxInReadsOfEverySize, 6) {
    std::vector<std::string> payloads;
    std::string stream;
    std::uint32_t seed = 1;
    // Three rounds of 10 frames, about 18 KiB: more than the decoder may ever hold (16 KiB here), so
    // it must reuse its buffer (move the unpopped bytes to the front) rather than only grow it.
    for (int round = 0; round < 3; ++round) {
        for (const std::size_t length :
             std::initializer_list<std::size_t>{0, 1, kMax, 1, 0, kMax, 2, 100, 0, 1}) {
            payloads.push_back(random_bytes(length, seed++));
            stream += frame_of(payloads.back());
        }
    }
    const std::string expected = describe_frames(payloads);
    for (const Door door : {Door::feed, Door::writable}) {
        for (std::size_t read_size = 1; read_size <= kLargestReadSize; ++read_size) {
            SCOPED_TRACE("frames of " + expected + " bytes (max " + std::to_string(kMax) + ") in reads of " +
                         std::to_string(read_size) + " bytes through " + door_name(door));
            FrameDecoder decoder(kMax);
            const Decoded decoded = decode_in_reads(decoder, stream, read_size, door);
            ASSERT_EQ(decoded.problem, "");
            ASSERT_FALSE(decoded.error) << "error after " << decoded.bytes_at_error << " bytes";
            ASSERT_EQ(describe_frames(decoded.frames), expected) << "frame sizes decoded";
            for (std::size_t i = 0; i < payloads.size(); ++i) {
                ASSERT_BYTES_EQ(payloads[i], decoded.frames[i]) << "frame " << i;
            }
            ASSERT_EQ(decoder.buffered(), 0u) << "bytes left over after the last frame";
            ASSERT_LE(decoded.peak_capacity, decoder.capacity_limit());
            ASSERT_GT(stream.size(), decoder.capacity_limit()) << "the stream must be longer than the buffer";
        }
    }
}

GRADED_TEST(Lab03Framing, MaxPlusOneIsAnErrorInReadsOfEverySize, 3) {
    const std::string first = random_bytes(1, 7);
    const std::string second = random_bytes(kMax, 8);
    const std::string good = frame_of(first) + frame_of(second);
    const std::string stream = good + prefix_of(kMax + 1) + random_bytes(64, 9);
    const std::size_t prefix_end = good.size() + 4;
    for (const Door door : {Door::feed, Door::writable}) {
        for (std::size_t read_size = 1; read_size <= kLargestReadSize; ++read_size) {
            SCOPED_TRACE("frames of 1 and " + std::to_string(kMax) + " bytes, then a prefix announcing " +
                         std::to_string(kMax + 1) + ", in reads of " + std::to_string(read_size) +
                         " bytes through " + door_name(door));
            FrameDecoder decoder(kMax);
            const Decoded decoded = decode_in_reads(decoder, stream, read_size, door);
            ASSERT_EQ(decoded.problem, "");
            ASSERT_EQ(decoded.frames.size(), 2u) << "the two good frames come out before the error";
            ASSERT_BYTES_EQ(first, decoded.frames[0]);
            ASSERT_BYTES_EQ(second, decoded.frames[1]);
            ASSERT_TRUE(decoded.error) << "no error for a frame of max + 1 bytes";
            ASSERT_EQ(decoded.error_length, kMax + 1);
            ASSERT_LT(decoded.bytes_at_error, prefix_end + read_size)
                << "the error must come with the read that completes the prefix, not wait for the payload";
            ASSERT_TRUE(decoder.failed());
        }
    }
}

GRADED_TEST(Lab03Framing, SeveralFramesInOneRead, 1) {
    std::string stream;
    for (int i = 0; i < 100; ++i) {
        stream += frame_of("message " + std::to_string(i));
    }
    FrameDecoder decoder(kMax);
    ASSERT_EQ(decoder.feed(bytes_of(stream)), stream.size()) << "100 small frames fit at once";
    std::vector<std::span<const std::byte>> views;
    for (int i = 0; i < 100; ++i) {
        const core::FrameResult result = decoder.pop();
        ASSERT_TRUE(result) << "frame " << i;
        views.push_back(result.payload);
    }
    SCOPED_TRACE("every payload view stays valid while more frames are popped");
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(text_of(views[static_cast<std::size_t>(i)]), "message " + std::to_string(i));
    }
    EXPECT_EQ(decoder.pop().status, ParseStatus::need_more);
    EXPECT_EQ(decoder.buffered(), 0u);
}

GRADED_TEST(Lab03Framing, OneFrameAcrossManyReads, 2) {
    const std::string payload = random_bytes(core::kDefaultMaxFrame, 11);
    const std::string stream = frame_of(payload);
    FrameDecoder decoder;
    SCOPED_TRACE("a frame of the default maximum (1 MiB) in reads of 1000 bytes");
    for (std::size_t at = 0; at < stream.size(); at += 1000) {
        const auto piece = bytes_of(stream).subspan(at, std::min<std::size_t>(1000, stream.size() - at));
        ASSERT_EQ(decoder.feed(piece), piece.size()) << "at byte " << at;
        const core::FrameResult result = decoder.pop();
        if (at + piece.size() < stream.size()) {
            ASSERT_EQ(result.status, ParseStatus::need_more) << "at byte " << at;
        } else {
            ASSERT_TRUE(result) << "the last read completes the frame";
            EXPECT_BYTES_EQ(payload, text_of(result.payload));
        }
        ASSERT_LE(decoder.capacity(), decoder.capacity_limit());
    }
    EXPECT_EQ(decoder.pop().status, ParseStatus::need_more);
}

GRADED_TEST(Lab03Framing, LengthPrefixSplitAcrossReads, 1) {
    const std::string frame = frame_of("split");
    for (std::size_t split = 1; split < 4; ++split) {
        SCOPED_TRACE("the prefix split after " + std::to_string(split) + " of its 4 bytes");
        FrameDecoder decoder(kMax);
        ASSERT_EQ(decoder.feed(bytes_of(frame).first(split)), split);
        ASSERT_EQ(decoder.pop().status, ParseStatus::need_more);
        ASSERT_EQ(decoder.feed(bytes_of(frame).subspan(split)), frame.size() - split);
        const core::FrameResult result = decoder.pop();
        ASSERT_TRUE(result);
        EXPECT_EQ(text_of(result.payload), "split");
    }
    SCOPED_TRACE("the prefix in 4 reads of 1 byte, then the payload");
    FrameDecoder decoder(kMax);
    for (std::size_t i = 0; i < 4; ++i) {
        ASSERT_EQ(decoder.feed(bytes_of(frame).subspan(i, 1)), 1u);
        ASSERT_EQ(decoder.pop().status, ParseStatus::need_more) << "after byte " << i;
    }
    ASSERT_EQ(decoder.feed(bytes_of(frame).subspan(4)), 5u);
    EXPECT_EQ(text_of(decoder.pop().payload), "split");
}

GRADED_TEST(Lab03Framing, ErrorIsStickyUntilReset, 2) {
    FrameDecoder decoder(kMax);
    const std::string bad = prefix_of(kMax + 1);
    ASSERT_EQ(decoder.feed(bytes_of(bad)), 4u);
    {
        SCOPED_TRACE("the error, again and again");
        for (int i = 0; i < 3; ++i) {
            const core::FrameResult result = decoder.pop();
            ASSERT_EQ(result.status, ParseStatus::error) << "pop " << i;
            EXPECT_EQ(result.length, kMax + 1);
        }
        EXPECT_TRUE(decoder.failed());
    }
    {
        SCOPED_TRACE("a broken stream takes no more bytes, even a valid frame");
        EXPECT_EQ(decoder.feed(bytes_of(frame_of("ok"))), 0u);
        EXPECT_TRUE(decoder.writable().empty());
        EXPECT_THROW(decoder.commit(1), std::out_of_range) << "commit more than writable() offered";
        EXPECT_EQ(decoder.pop().status, ParseStatus::error);
    }
    SCOPED_TRACE("reset() clears the error and the bytes; the decoder serves a new stream");
    decoder.reset();
    EXPECT_FALSE(decoder.failed());
    EXPECT_EQ(decoder.buffered(), 0u);
    EXPECT_EQ(decoder.pop().status, ParseStatus::need_more);
    ASSERT_EQ(decoder.feed(bytes_of(frame_of("ok"))), 6u);
    const core::FrameResult result = decoder.pop();
    ASSERT_TRUE(result);
    EXPECT_EQ(text_of(result.payload), "ok");
}

GRADED_TEST(Lab03Framing, MemoryFollowsTheBytesNotTheClaim, 1) {
    constexpr std::size_t kGiB = std::size_t{1} << 30;
    {
        SCOPED_TRACE(
            "max 1 GiB: a prefix announcing 1 GiB + 1 is an error, and nothing of that size is allocated");
        FrameDecoder decoder(kGiB);
        ASSERT_EQ(decoder.feed(bytes_of(prefix_of(kGiB + 1))), 4u);
        EXPECT_EQ(decoder.pop().status, ParseStatus::error);
        EXPECT_LE(decoder.capacity(), FrameDecoder::kMinReadSpace);
    }
    SCOPED_TRACE(
        "a prefix announcing exactly 1 GiB, then 100 KiB trickling in: the buffer tracks what arrived");
    FrameDecoder decoder(kGiB);
    ASSERT_EQ(decoder.feed(bytes_of(prefix_of(kGiB))), 4u);
    EXPECT_EQ(decoder.pop().status, ParseStatus::need_more);
    const std::string chunk = random_bytes(10 * 1024, 12);
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(decoder.feed(bytes_of(chunk)), chunk.size());
        ASSERT_EQ(decoder.pop().status, ParseStatus::need_more);
        EXPECT_LE(decoder.capacity(), 2 * decoder.buffered() + FrameDecoder::kMinReadSpace)
            << "after " << decoder.buffered() << " bytes";
    }
    EXPECT_EQ(decoder.buffered(), 4u + 10 * chunk.size());
}

GRADED_TEST(Lab03Framing, ReceivesStraightIntoWritable, 1) {
    int pair[2];
    check_syscall("socketpair", ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair));
    const UniqueFd reader(pair[0]);
    const UniqueFd writer(pair[1]);
    const std::string stream = frame_of("one") + frame_of(std::string(kMax, 't')) + frame_of("");
    ASSERT_EQ(::send(writer.get(), stream.data(), stream.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(stream.size()));
    SCOPED_TRACE("recv() into writable(), commit(), pop(): no copy between the kernel and the frame");
    FrameDecoder decoder(kMax);
    std::vector<std::string> frames;
    for (int reads = 0; frames.size() < 3 && reads < 100; ++reads) {
        ASSERT_TRUE(wait_for_events(reader.get(), POLLIN, 5s)) << "the bytes should be there";
        const std::span<std::byte> room = decoder.writable();
        ASSERT_FALSE(room.empty());
        const ssize_t n =
            ::recv(reader.get(), room.data(), std::min<std::size_t>(room.size(), 1000), MSG_DONTWAIT);
        ASSERT_GT(n, 0);
        decoder.commit(static_cast<std::size_t>(n));
        while (const core::FrameResult result = decoder.pop()) {
            frames.push_back(text_of(result.payload));
        }
        ASSERT_FALSE(decoder.failed());
    }
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0], "one");
    EXPECT_EQ(frames[1], std::string(kMax, 't'));
    EXPECT_EQ(frames[2], "");
}

}  // namespace
}  // namespace netlab::testing
