// Lab 01, send_all: every byte or an exception, through short writes, EINTR and a vanished peer.
// SIGPIPE keeps its default action in this process on purpose: a send_all without MSG_NOSIGNAL
// kills this test, exactly as it would kill a server.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <system_error>

#include "01_stream/send_all.hpp"
#include "bytes.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab01SendAll, LoopsOverShortWritesAndEintr, 6) {
    // Tiny buffers make send() block often; SIGUSR1 (no SA_RESTART) then interrupts it, so send()
    // returns a short count when part of the data was queued, or EINTR when none was.
    const UniqueFd listener = listen_loopback(AF_INET);
    set_buffer_sizes(listener.get(), 4096, 4096);
    TcpPair pair;
    pair.client = connect_to("127.0.0.1", bound_port(listener.get()));
    set_buffer_sizes(pair.client.get(), 4096, 4096);
    pair.server = accept_within(listener.get(), 5s);
    ASSERT_TRUE(pair.server);

    const InterruptingSignal signal;
    const std::string payload = random_bytes(2 * 1024 * 1024);
    const int fd = pair.client.get();
    BackgroundTask sender([&] { stream::send_all(fd, bytes_of(payload)); },
                          [&] { ::shutdown(fd, SHUT_RDWR); });

    SCOPED_TRACE(
        "send_all of 2 MiB with SO_SNDBUF 4096, a reader taking 4000 bytes at a time, and SIGUSR1 between "
        "reads");
    std::string received;
    const auto deadline = Clock::now() + 30s;
    char buffer[4000];
    while (received.size() < payload.size() && Clock::now() < deadline) {
        if (!sender.wait(0ms)) {
            signal.interrupt(sender.native_handle());
        }
        pollfd entry{pair.server.get(), POLLIN, 0};
        // Once the sender has finished, whatever it sent is already here: stop at the first quiet 500 ms.
        if (::poll(&entry, 1, sender.wait(0ms) ? 500 : 100) <= 0) {
            if (sender.wait(0ms)) {
                break;
            }
            continue;
        }
        const ssize_t got = ::recv(pair.server.get(), buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            received.append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0) {
            break;
        }
    }
    EXPECT_BYTES_EQ(payload, received);
    ASSERT_TRUE(sender.wait(5s)) << "send_all was still sending 5 s after the reader had " << received.size()
                                 << " bytes (it was given " << payload.size() << ")";
    EXPECT_EQ(sender.error(), "") << "send_all threw; a signal (EINTR) is not an error";
    EXPECT_GT(signal.count(), 0) << "the test never managed to interrupt send_all";
}

bool sigpipe_would_kill() {
    struct sigaction current {};
    ::sigaction(SIGPIPE, nullptr, &current);
    sigset_t blocked;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &blocked);
    return current.sa_handler == SIG_DFL && sigismember(&blocked, SIGPIPE) == 0;
}

GRADED_TEST(Lab01SendAll, ClosedPeerThrowsWithoutSigpipe, 5) {
    ASSERT_TRUE(sigpipe_would_kill())
        << "the test process must keep SIGPIPE's default action for this test to mean anything";
    TcpPair pair = make_tcp_pair();
    {
        SCOPED_TRACE("the peer closes; we read its EOF");
        pair.server.reset();
        const auto rest = read_to_eof(pair.client.get(), 5s);
        ASSERT_EQ(rest, std::string()) << "expected EOF from the closed peer";
    }
    SCOPED_TRACE("send_all keeps sending to the closed peer: its RST turns the next send into EPIPE");
    const std::string chunk = random_bytes(64 * 1024);
    bool threw = false;
    const auto deadline = Clock::now() + 10s;
    while (!threw && Clock::now() < deadline) {
        try {
            stream::send_all(pair.client.get(), bytes_of(chunk));
        } catch (const std::system_error& error) {
            threw = true;
            const bool expected =
                error.code() == std::errc::broken_pipe || error.code() == std::errc::connection_reset;
            EXPECT_TRUE(expected) << "expected EPIPE or ECONNRESET, got: " << error.what();
            EXPECT_EQ(std::string(error.what()).rfind("send", 0), 0u)
                << "the message should start with the call: " << error.what();
        }
    }
    EXPECT_TRUE(threw) << "send_all to a closed peer kept succeeding for 10 s";
}

}  // namespace
}  // namespace netlab::testing
