// Lab 04, OutputBuffer on its own: the queue of unsent bytes that every non-blocking writer in
// this lab keeps per connection. Compared with a std::string doing the same, step by step.

#include <random>
#include <stdexcept>
#include <string>

#include "04_multiplexing/output_buffer.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"

namespace netlab::testing {
namespace {

using multiplexing::OutputBuffer;

GRADED_TEST(Lab04OutputBuffer, KeepsEveryByteInOrderAcrossPartialSends, 4) {
    SCOPED_TRACE(
        "20000 random appends (0 to 5000 bytes) and consumes (part of what waits), checked against a string");
    const std::string source = random_bytes(1 << 20, 41);
    std::mt19937 random(42);
    OutputBuffer buffer;
    std::string model;
    std::size_t next_byte = 0;
    for (int step = 0; step < 20000; ++step) {
        if (random() % 2 == 0) {
            const std::size_t size = random() % 5001;
            const std::size_t at = next_byte % (source.size() - size);
            buffer.append(bytes_of(std::string_view(source).substr(at, size)));
            model.append(source, at, size);
            next_byte += 977;
        } else {
            const std::size_t size = model.empty() ? 0 : random() % (model.size() + 1);
            buffer.consume(size);
            model.erase(0, size);
        }
        ASSERT_EQ(buffer.size(), model.size()) << "after step " << step;
        ASSERT_EQ(buffer.empty(), model.empty()) << "after step " << step;
        if (step % 97 == 0 || model.size() < 64) {
            ASSERT_BYTES_EQ(model, text_of(buffer.pending())) << "after step " << step;
        }
        ASSERT_GE(buffer.capacity(), buffer.size());
    }
    SCOPED_TRACE("consuming more than waits is the caller's bug: std::out_of_range, nothing changes");
    buffer.append(bytes_of("abc"));
    model.append("abc");
    EXPECT_THROW(buffer.consume(model.size() + 1), std::out_of_range);
    EXPECT_BYTES_EQ(model, text_of(buffer.pending()));
}

GRADED_TEST(Lab04OutputBuffer, MemoryFollowsTheBacklog, 2) {
    {
        SCOPED_TRACE("never quite empty: 100 bytes always wait while 100000 x 1000 bytes pass through");
        OutputBuffer buffer;
        const std::string chunk = random_bytes(1000, 43);
        buffer.append(bytes_of(chunk.substr(0, 100)));
        std::size_t largest = 0;
        for (int i = 0; i < 100000; ++i) {
            buffer.append(bytes_of(chunk));
            buffer.consume(1000);
            largest = std::max(largest, buffer.capacity());
        }
        EXPECT_EQ(buffer.size(), 100u);
        EXPECT_LE(largest, 16u * 1024)
            << "the allocation grew to " << largest << " bytes for a backlog of at most 1100: the sent "
            << "prefix must be reclaimed (compaction) even when the buffer never drains";
        EXPECT_BYTES_EQ(chunk.substr(900), text_of(buffer.pending()));  // the tail of the last chunk
    }
    {
        SCOPED_TRACE("a 4 MiB burst, drained in 1000-byte sends: the large allocation is given back");
        OutputBuffer buffer;
        const std::string burst = random_bytes(4 << 20, 44);
        buffer.append(bytes_of(burst));
        ASSERT_GE(buffer.capacity(), burst.size());
        std::string drained;
        while (!buffer.empty()) {
            const std::size_t size = std::min<std::size_t>(1000, buffer.size());
            drained.append(text_of(buffer.pending().first(size)));
            buffer.consume(size);
        }
        EXPECT_BYTES_EQ(burst, drained);
        EXPECT_LE(buffer.capacity(), OutputBuffer::kRetainedCapacity)
            << "a drained buffer still holds " << buffer.capacity() << " bytes";
        SCOPED_TRACE("and it works again after draining");
        buffer.append(bytes_of("again"));
        EXPECT_EQ(text_of(buffer.pending()), "again");
    }
    {
        SCOPED_TRACE("clear() forgets everything and gives a large allocation back");
        OutputBuffer buffer;
        buffer.append(bytes_of(random_bytes(1 << 20, 45)));
        buffer.consume(10);
        buffer.clear();
        EXPECT_TRUE(buffer.empty());
        EXPECT_LE(buffer.capacity(), OutputBuffer::kRetainedCapacity);
    }
}

}  // namespace
}  // namespace netlab::testing
