// Lab 03 Part C, core_echo_server end to end: lab 01's echo contract, kept by the program written
// with the core types. The real program runs as a child; every wait has a deadline.

#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "bytes.hpp"
#include "child_process.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// A core_echo_server child on 127.0.0.1 port 0 that has printed its "listening on" line.
struct EchoServer {
    EchoServer()
        : process("core_echo_server", {"--listen", "127.0.0.1:0"}), endpoint(process.wait_listening()) {}
    [[nodiscard]] UniqueFd connect() const { return connect_to(endpoint.host, endpoint.port); }
    ChildProcess process;
    HostPort endpoint;
};

/// Sends without reading the echo until the socket stays unwritable for 200 ms (both directions are
/// full and the server is blocked writing to us) or 64 MiB went out.
void back_up(int fd) {
    const std::string chunk = random_bytes(64 * 1024, 63);
    for (int i = 0; i < 1024; ++i) {
        if (!wait_for_events(fd, POLLOUT, 200ms)) {
            return;
        }
        if (::send(fd, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
            return;
        }
    }
}

std::string describe_exit(const std::optional<int>& status) {
    return status ? "exit status " + std::to_string(*status) : std::string("still running");
}

GRADED_TEST(Lab03CoreEchoServer, EchoesEveryByteThenEof, 1) {
    EchoServer server;
    {
        SCOPED_TRACE("the first line is exactly 'listening on 127.0.0.1:PORT' with the real port");
        EXPECT_EQ(server.endpoint.host, "127.0.0.1");
        EXPECT_NE(server.endpoint.port, 0);
    }
    SCOPED_TRACE("two clients at once, 1 MiB each, sent while the echo flows back, then half-closed");
    const UniqueFd first = server.connect();
    const UniqueFd second = server.connect();
    const std::string one = random_bytes(1024 * 1024, 61);
    const std::string two = random_bytes(1024 * 1024, 62);
    Exchanged second_result;
    {
        BackgroundTask other([&] { second_result = exchange(second.get(), two); },
                             [&] { ::shutdown(second.get(), SHUT_RDWR); });
        const Exchanged first_result = exchange(first.get(), one);
        EXPECT_TRUE(first_result.eof && first_result.sent_all) << first_result.summary(one.size());
        EXPECT_BYTES_EQ(one, first_result.received);
        EXPECT_TRUE(other.wait(20s));
    }
    EXPECT_TRUE(second_result.eof && second_result.sent_all) << second_result.summary(two.size());
    EXPECT_BYTES_EQ(two, second_result.received);
    EXPECT_EQ(server.process.stderr_text(), "");
}

GRADED_TEST(Lab03CoreEchoServer, HalfCloseAtOnceGivesEof, 1) {
    EchoServer server;
    const UniqueFd client = server.connect();
    ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    EXPECT_EQ(read_to_eof(client.get(), 10s), std::string()) << "expected EOF with no data within 10 s";
    SCOPED_TRACE("and the server goes on serving");
    const UniqueFd next = server.connect();
    const Exchanged result = exchange(next.get(), "still here");
    EXPECT_TRUE(result.eof) << result.summary(10);
    EXPECT_EQ(result.received, "still here");
}

/// With one idle client and one whose echo is backed up (the server is blocked in write_all),
/// signal_number makes the server exit 0, and the idle client sees its connection end.
void expect_clean_exit_on(int signal_number) {
    EchoServer server;
    const UniqueFd idle = server.connect();
    ASSERT_TRUE(send_within(idle.get(), "hello", 5s));
    ASSERT_EQ(read_exactly(idle.get(), 5, 10s), "hello") << "stderr: " << server.process.stderr_text();
    const UniqueFd busy = server.connect();
    set_buffer_sizes(busy.get(), 4096, 4096);
    back_up(busy.get());
    SCOPED_TRACE(std::string("send ") + strsignal(signal_number) + " with two clients connected");
    server.process.send_signal(signal_number);
    const auto status = server.process.wait_exit(10s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.process.stderr_text();
    EXPECT_EQ(read_to_eof(idle.get(), 5s), std::string()) << "the idle client should see the connection end";
    EXPECT_EQ(server.process.stderr_text(), "") << "stopping is not an error";
}

GRADED_TEST(Lab03CoreEchoServer, SigintExitsZero, 1) {
    expect_clean_exit_on(SIGINT);
}

GRADED_TEST(Lab03CoreEchoServer, SigtermExitsZero, 1) {
    expect_clean_exit_on(SIGTERM);
}

}  // namespace
}  // namespace netlab::testing
