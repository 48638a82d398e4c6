// Lab 01, echo_connection on its own: run in a thread of this test against a socket pair,
// so what it sends, when, and how it ends can be watched from the other side.

#include <fcntl.h>
#include <sys/socket.h>

#include <memory>

#include "01_stream/echo.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// Runs echo_connection(fd) in the background. If it throws, the socket is shut down at once so
/// the test's reads end (and fail) instead of waiting for their deadline.
std::unique_ptr<BackgroundTask> start_echo(int fd) {
    return std::make_unique<BackgroundTask>(
        [fd] {
            try {
                stream::echo_connection(fd);
            } catch (...) {
                ::shutdown(fd, SHUT_RDWR);
                throw;
            }
        },
        [fd] { ::shutdown(fd, SHUT_RDWR); });
}

GRADED_TEST(Lab01Echo, EchoesAsItReadsThenHalfCloses, 6) {
    TcpPair pair = make_tcp_pair();
    const auto echo = start_echo(pair.server.get());
    {
        SCOPED_TRACE("'ping' comes straight back, before we stop sending");
        ASSERT_TRUE(send_within(pair.client.get(), "ping", 5s));
        const auto reply = read_exactly(pair.client.get(), 4, 5s);
        ASSERT_EQ(reply, "ping") << "no echo within 5 s; echo_connection threw: '" << echo->error_when_done()
                                 << "'";
    }
    const std::string payload = random_bytes(1024 * 1024, 7);
    {
        SCOPED_TRACE("1 MiB in odd-sized pieces, read in odd-sized pieces, then our half-close");
        ExchangeOptions options;
        options.send_sizes = {1, 1000, 65536, 3, 20000};
        options.read_sizes = {7, 4096, 1, 30000};
        const ExchangeResult result = exchange(pair.client.get(), payload, options);
        EXPECT_TRUE(result.eof && result.sent_all)
            << result.summary(payload.size()) << "; echo_connection threw: '" << echo->error_when_done()
            << "'";
        EXPECT_BYTES_EQ(payload, result.received);
    }
    {
        SCOPED_TRACE(
            "echo_connection returns by itself after our half-close, and leaves closing to its caller");
        ASSERT_TRUE(echo->wait(5s)) << "echo_connection did not return after the peer's EOF";
        EXPECT_EQ(echo->error(), "");
        EXPECT_NE(::fcntl(pair.server.get(), F_GETFD), -1)
            << "echo_connection closed the descriptor it was given";
    }
}

GRADED_TEST(Lab01Echo, PeerResetIsAnError, 2) {
    TcpPair pair = make_tcp_pair();
    const auto echo = start_echo(pair.server.get());
    ASSERT_TRUE(send_within(pair.client.get(), "abc", 5s));
    ASSERT_EQ(read_exactly(pair.client.get(), 3, 5s), "abc")
        << "echo_connection threw: '" << echo->error_when_done() << "'";
    SCOPED_TRACE("the peer resets the connection (SO_LINGER 0)");
    reset_connection(std::move(pair.client));
    ASSERT_TRUE(echo->wait(5s)) << "echo_connection did not return within 5 s of a reset";
    EXPECT_NE(echo->error(), "") << "a reset must be reported as an exception, not end quietly like EOF";
    EXPECT_EQ(echo->error().find("TODO"), std::string::npos) << echo->error();
}

}  // namespace
}  // namespace netlab::testing
