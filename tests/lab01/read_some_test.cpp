// Lab 01, read_some: one recv, three outcomes. Bytes and end of stream are values; an error
// (ECONNRESET after the peer's RST) is an exception; EINTR is neither, just a retry.

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <system_error>

#include "01_stream/read_some.hpp"
#include "bytes.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using stream::read_some;
using stream::ReadResult;

GRADED_TEST(Lab01ReadSome, DataThenEndOfStream, 3) {
    TcpPair pair = make_tcp_pair();
    const int fd = pair.client.get();
    ReadResult result_again;
    {
        SCOPED_TRACE(
            "with 3 bytes waiting, a 100-byte read returns those 3 at once (it must not wait to fill the "
            "buffer)");
        ASSERT_TRUE(send_within(pair.server.get(), "abc", 5s));
        std::array<std::byte, 100> buffer{};
        ReadResult result;
        BackgroundTask reader([&] { result = read_some(fd, buffer); }, [&] { ::shutdown(fd, SHUT_RDWR); });
        ASSERT_TRUE(reader.wait(5s)) << "read_some was still blocked after 5 s with 3 bytes available";
        ASSERT_EQ(reader.error(), "");
        EXPECT_TRUE(static_cast<bool>(result)) << "data must convert to true";
        EXPECT_FALSE(result.eof);
        ASSERT_EQ(result.size, 3u);
        EXPECT_BYTES_EQ("abc", std::string(reinterpret_cast<const char*>(buffer.data()), result.size));
    }
    ASSERT_TRUE(send_within(pair.server.get(), "hello, stream", 5s));
    {
        SCOPED_TRACE("with bytes waiting, an empty buffer reads nothing and is not end of stream");
        pollfd entry{fd, POLLIN, 0};
        ASSERT_EQ(::poll(&entry, 1, 5000), 1) << "the test's bytes did not arrive within 5 s";
        ReadResult result;
        BackgroundTask reader([&] { result = read_some(fd, {}); }, [&] { ::shutdown(fd, SHUT_RDWR); });
        ASSERT_TRUE(reader.wait(5s)) << "read_some with an empty buffer blocked for 5 s";
        ASSERT_EQ(reader.error(), "");
        EXPECT_TRUE(static_cast<bool>(result))
            << "an empty buffer is not end of stream (recv(fd, p, 0) returns 0)";
        EXPECT_FALSE(result.eof);
        EXPECT_EQ(result.size, 0u);
    }
    {
        SCOPED_TRACE("the peer has sent 13 bytes and closes; 4-byte reads give them all, then end of stream");
        pair.server.reset();
        std::string assembled;
        ReadResult result;
        BackgroundTask reader(
            [&] {
                std::array<std::byte, 4> buffer{};
                while ((result = read_some(fd, buffer))) {
                    if (result.size == 0 || result.size > buffer.size()) {
                        throw std::logic_error("read_some reported " + std::to_string(result.size) +
                                               " bytes into a 4-byte buffer");
                    }
                    assembled.append(reinterpret_cast<const char*>(buffer.data()), result.size);
                }
            },
            [&] { ::shutdown(fd, SHUT_RDWR); });
        ASSERT_TRUE(reader.wait(5s)) << "no end of stream within 5 s of the peer closing";
        ASSERT_EQ(reader.error(), "");
        EXPECT_BYTES_EQ("hello, stream", assembled);
        EXPECT_TRUE(result.eof) << "end of stream must set eof";
        EXPECT_FALSE(static_cast<bool>(result)) << "end of stream must convert to false";
        EXPECT_EQ(result.size, 0u);
    }
    {
        SCOPED_TRACE("end of stream stays end of stream");
        std::array<std::byte, 8> buffer{};
        BackgroundTask reader([&] { result_again = read_some(fd, buffer); },
                              [&] { ::shutdown(fd, SHUT_RDWR); });
        ASSERT_TRUE(reader.wait(5s)) << "read_some blocked after end of stream";
        ASSERT_EQ(reader.error(), "");
        EXPECT_TRUE(result_again.eof);
    }
}

GRADED_TEST(Lab01ReadSome, ResetIsAnError, 3) {
    TcpPair pair = make_tcp_pair();
    SCOPED_TRACE("the peer closes with SO_LINGER 0, which sends RST instead of FIN");
    reset_connection(std::move(pair.server));
    pollfd entry{pair.client.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&entry, 1, 5000), 1) << "the RST did not arrive within 5 s";
    std::array<std::byte, 64> buffer{};
    try {
        const ReadResult result = read_some(pair.client.get(), buffer);
        ADD_FAILURE() << "expected std::system_error(ECONNRESET), got "
                      << (result.eof ? "end of stream" : "data") << ": a reset is not an orderly end";
    } catch (const std::system_error& error) {
        EXPECT_EQ(error.code(), std::errc::connection_reset) << "what(): " << error.what();
        EXPECT_EQ(std::string(error.what()).rfind("recv", 0), 0u)
            << "the message should start with the call: " << error.what();
    }
}

GRADED_TEST(Lab01ReadSome, RetriesEintr, 3) {
    TcpPair pair = make_tcp_pair();
    const int fd = pair.client.get();
    const InterruptingSignal signal;
    std::array<std::byte, 16> buffer{};
    ReadResult result;
    BackgroundTask reader([&] { result = read_some(fd, buffer); }, [&] { ::shutdown(fd, SHUT_RDWR); });
    {
        SCOPED_TRACE("SIGUSR1 (no SA_RESTART) interrupts read_some while it waits for data");
        for (int i = 0; i < 20 && !reader.wait(2ms); ++i) {
            signal.interrupt(reader.native_handle());
        }
        ASSERT_FALSE(reader.wait(0ms)) << "read_some returned with no data sent; error: " << reader.error();
    }
    SCOPED_TRACE("then one byte arrives: read_some must return it");
    ASSERT_TRUE(send_within(pair.server.get(), "x", 5s));
    ASSERT_TRUE(reader.wait(5s)) << "read_some did not return within 5 s of a byte arriving";
    ASSERT_EQ(reader.error(), "") << "EINTR is not an error: retry the recv";
    EXPECT_EQ(result.size, 1u);
    EXPECT_EQ(buffer[0], std::byte{'x'});
}

}  // namespace
}  // namespace netlab::testing
