// Lab 09, the servers against peers that hold a connection without finishing the handshake: a
// client that trickles its upgrade request one byte every 200 ms (slowloris) is closed at a
// deadline fixed at accept, which frees its slot for a client waiting behind it; a request that
// names its key twice is refused with 400 rather than answered for the first key.

#include <poll.h>
#include <sys/socket.h>

#include <string>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

/// When the server ended the connection, trickling one byte of a request that never ends every 200 ms
/// until then; nullopt if it still held it at give_up.
std::optional<Clock::time_point> trickle_until_closed(RawWs& slow, Clock::time_point give_up) {
    const std::string endless = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(4096, 'z');
    std::size_t sent = 0;
    while (Clock::now() < give_up) {
        pollfd p{slow.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, 200);  // the pace of the trickle, and the wait for the server
        if (ready > 0) {
            char chunk[4096];
            if (::recv(slow.get(), chunk, sizeof chunk, 0) <= 0) {
                return Clock::now();  // EOF or reset: the server let go (a 408 may come first)
            }
            continue;
        }
        if (!slow.send(endless.substr(sent++ % endless.size(), 1))) {
            return Clock::now();
        }
    }
    return std::nullopt;
}

GRADED_TEST(Lab09EchoServer, HandshakeDeadlineRunsFromAcceptNotFromTheLastByte, 2) {
    ServerProcess server("ws_echo_server",
                         listen_args({"--max-connections", "1", "--handshake-timeout", "1000"}));
    const auto connected = Clock::now();
    RawWs slow(server.endpoint.port);
    RawWs waiting(server.endpoint.port);  // queued behind the only slot until the slow client is gone
    ASSERT_TRUE(waiting.send(sample_request()));
    const auto closed = trickle_until_closed(slow, connected + 10s);
    ASSERT_TRUE(closed) << "a client sending one byte every 200 ms was still held after 10 s, with a "
                           "1000 ms handshake deadline; log: "
                        << server.log();
    const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(*closed - connected);
    EXPECT_GE(held, 900ms) << "closed before its deadline";
    EXPECT_LE(held, 3000ms) << "the deadline is 1000 ms from accept, whatever arrives";
    const std::string head = waiting.read_head();
    EXPECT_EQ(head.rfind("HTTP/1.1 101", 0), 0u) << "the client behind the slow one: " << head.substr(0, 200);
    const auto answered = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - connected);
    EXPECT_LE(answered, 4000ms) << "the waiting client got its 101 only after " << answered.count() << " ms";
    EXPECT_EQ(waiting.echo("served at last"), "served at last");
}

GRADED_TEST(Lab09EchoServer, RepeatedKeyGets400, 1) {
    ServerProcess server("ws_echo_server", listen_args());
    {
        RawWs twice(server.endpoint.port);
        const std::string head =
            twice.handshake(sample_request("/", "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"));
        EXPECT_EQ(head.rfind("HTTP/1.1 400", 0), 0u)
            << "two keys must not get a 101: " << head.substr(0, 200);
        EXPECT_TRUE(twice.wait_eof()) << "the server must close after an HTTP error";
    }
    RawWs ok = RawWs::open(server.endpoint.port);
    EXPECT_EQ(ok.echo("one key"), "one key");
}

}  // namespace
}  // namespace netlab::testing::lab09
