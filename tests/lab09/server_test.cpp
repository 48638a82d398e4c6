// Lab 09, ws_echo_server and ws_chat_server over real sockets: each protocol violation gets the
// RFC's close code (then the server closes TCP) while another client keeps being served; refused
// handshakes get proper HTTP errors; a ping between fragments is answered at once; a client that
// never reads cannot grow the server's memory; the chat page is served and messages are broadcast.

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing::lab09 {
namespace {

/// An echo server with a 64 KiB message limit and one bystander client that must keep working.
struct ViolationScene {
    ServerProcess server{"ws_echo_server", listen_args({"--max-message", "65536"})};
    RawWs bystander = RawWs::open(server.endpoint.port);

    /// Opens a client, sends frames, and checks the close code, the TCP close, and the bystander.
    void expect_close(const std::string& frames, int code) {
        RawWs offender = RawWs::open(server.endpoint.port);
        ASSERT_EQ(offender.echo("fine so far"), "fine so far");
        ASSERT_TRUE(offender.send(frames));
        EXPECT_EQ(offender.read_close_code(), code);
        EXPECT_TRUE(offender.wait_eof()) << "the server must close TCP after its Close frame";
        EXPECT_EQ(bystander.echo("still there?"), "still there?") << "another client stopped being served";
        RawWs next = RawWs::open(server.endpoint.port);
        EXPECT_EQ(next.echo("new client"), "new client");
    }
};

GRADED_TEST(Lab09Violations, UnmaskedClientFrameGets1002, 1) {
    ViolationScene scene;
    scene.expect_close(client_frame(0x81, "no mask", false), 1002);
}

GRADED_TEST(Lab09Violations, FragmentedControlFrameGets1002, 1) {
    ViolationScene scene;
    scene.expect_close(client_frame(0x09, "ping without FIN"), 1002);
}

GRADED_TEST(Lab09Violations, ControlFrameOver125BytesGets1002, 2) {
    ViolationScene scene;
    scene.expect_close(client_frame(0x89, std::string(126, 'p')), 1002);
}

GRADED_TEST(Lab09Violations, InvalidUtf8Gets1007, 2) {
    ViolationScene scene;
    scene.expect_close(client_frame(0x01, "caf\xC3") + client_frame(0x80, "\x28 split"), 1007);
}

GRADED_TEST(Lab09Violations, ReservedOpcodeGets1002, 1) {
    ViolationScene scene;
    scene.expect_close(client_frame(0x83, "opcode 3"), 1002);
}

GRADED_TEST(Lab09Violations, LengthOverTheMaximumGets1009, 1) {
    ViolationScene scene;
    // Only the header: the server must decide from the announced length, before any payload.
    scene.expect_close(client_frame(0x82, "", true, 100000).substr(0, 10), 1009);
}

GRADED_TEST(Lab09EchoServer, PingBetweenFragmentsIsAnsweredAndTheCloseEchoed, 2) {
    ServerProcess server("ws_echo_server", listen_args());
    RawWs ws = RawWs::open(server.endpoint.port);
    ASSERT_TRUE(
        ws.send(client_frame(0x01, "Hel") + client_frame(0x89, "are you there") + client_frame(0x80, "lo")));
    const auto pong = ws.read_frame();
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->opcode(), 0xA) << "the pong must come at once, before the message is complete";
    EXPECT_EQ(pong->payload, "are you there");
    EXPECT_FALSE(pong->masked) << "a server never masks";
    const auto text = ws.read_frame();
    ASSERT_TRUE(text);
    EXPECT_EQ(text->opcode(), 0x1);
    EXPECT_EQ(text->payload, "Hello");
    const std::string big = random_bytes(300000);
    ASSERT_TRUE(ws.send(client_frame(0x82, big)));
    const auto echoed = ws.read_frame();
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->opcode(), 0x2);
    EXPECT_BYTES_EQ(big, echoed->payload);
    ASSERT_TRUE(ws.send(client_frame(0x88, std::string("\x0F\xA2"
                                                       "done",
                                                       6))));
    EXPECT_EQ(ws.read_close_code(), 4002) << "the server echoes the client's close code";
    EXPECT_TRUE(ws.wait_eof());
}

GRADED_TEST(Lab09EchoServer, RefusedHandshakesGetHttpErrors, 2) {
    ServerProcess server("ws_echo_server", listen_args());
    const auto ask = [&](const std::string& request) {
        RawWs ws(server.endpoint.port);
        const std::string head = ws.handshake(request);
        EXPECT_TRUE(ws.wait_eof()) << "the server must close after an HTTP error";
        return head;
    };
    std::string request = sample_request();
    const std::string post = ask("POST" + request.substr(3));
    EXPECT_EQ(post.rfind("HTTP/1.1 405", 0), 0u) << post;
    EXPECT_NE(post.find("Allow: GET"), std::string::npos) << post;
    std::string old_version = request;
    old_version.replace(old_version.find("Version: 13"), 11, "Version: 8");
    const std::string version = ask(old_version);
    EXPECT_EQ(version.rfind("HTTP/1.1 426", 0), 0u) << version;
    EXPECT_NE(version.find("Sec-WebSocket-Version: 13"), std::string::npos) << version;
    std::string no_key = request;
    no_key.erase(no_key.find("Sec-WebSocket-Key"), no_key.find("\r\n", no_key.find("Sec-WebSocket-Key")) + 2 -
                                                       no_key.find("Sec-WebSocket-Key"));
    EXPECT_EQ(ask(no_key).rfind("HTTP/1.1 400", 0), 0u);
    const std::string huge = ask("GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n");
    EXPECT_EQ(huge.rfind("HTTP/1.1 431", 0), 0u) << huge.substr(0, 200);
    RawWs ok = RawWs::open(server.endpoint.port);
    EXPECT_EQ(ok.echo("after the refusals"), "after the refusals");
}

/// VmRSS of a process in KiB (0 if unreadable).
std::size_t rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return static_cast<std::size_t>(std::stoul(line.substr(6)));
        }
    }
    return 0;
}

GRADED_TEST(Lab09EchoServer, ClientThatNeverReadsCannotGrowServerMemory, 3) {
    ServerProcess server("ws_echo_server", listen_args({"--max-message", "65536"}));
    RawWs rude = RawWs::open(server.endpoint.port);
    set_buffer_sizes(rude.get(), 64 * 1024, 64 * 1024);
    const std::size_t before = rss_kib(server.process.pid());
    const std::string frame = client_frame(0x82, random_bytes(65536));
    std::size_t sent = 0;
    // Send 64 KiB messages and never read the echo, until the server stops taking them for 1 s.
    const bool stalled = wait_until(
        [&] {
            pollfd p{rude.get(), POLLOUT, 0};
            if (::poll(&p, 1, 1000) <= 0)
                return true;  // no room for a whole second: backpressure reached us
            const ssize_t n = ::send(rude.get(), frame.data() + sent % frame.size(),
                                     frame.size() - sent % frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0)
                sent += static_cast<std::size_t>(n);
            return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
        },
        40s);
    ASSERT_TRUE(stalled) << "the server kept reading past 40 s (" << sent
                         << " bytes) without us reading its echo";
    const std::size_t after = rss_kib(server.process.pid());
    EXPECT_LT(after, before + 32 * 1024) << "server memory grew from " << before << " KiB to " << after
                                         << " KiB after we sent " << sent << " bytes without reading";
    EXPECT_LT(sent, 64u << 20) << "the server should have stopped reading long before 64 MiB";
    RawWs other = RawWs::open(server.endpoint.port);
    EXPECT_EQ(other.echo("others are still served"), "others are still served");
}

GRADED_TEST(Lab09Chat, ServesThePageAndBroadcasts, 4) {
    ServerProcess server("ws_chat_server", listen_args());
    {
        RawWs http(server.endpoint.port);
        const std::string head = http.handshake("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
        EXPECT_NE(head.find("text/html"), std::string::npos) << head;
    }
    RawWs alice = RawWs::open(server.endpoint.port, "/chat");
    const auto joined = alice.read_frame();
    ASSERT_TRUE(joined) << "a newcomer is announced (to itself too)";
    RawWs bob = RawWs::open(server.endpoint.port, "/chat");
    ASSERT_TRUE(bob.read_frame()) << "bob's own join notice";
    ASSERT_TRUE(alice.read_frame()) << "alice hears bob join";
    ASSERT_TRUE(alice.send(client_frame(0x81, "hello from alice \xE2\x9C\x93")));
    const auto heard = bob.read_frame();
    ASSERT_TRUE(heard);
    EXPECT_EQ(heard->opcode(), 0x1);
    EXPECT_NE(heard->payload.find("hello from alice \xE2\x9C\x93"), std::string::npos) << heard->payload;
    const auto own = alice.read_frame();
    ASSERT_TRUE(own);
    EXPECT_NE(own->payload.find("hello from alice"), std::string::npos) << own->payload;
    ASSERT_TRUE(bob.send(client_frame(0x82, "binary")));
    EXPECT_EQ(bob.read_close_code(), 1003) << "the room takes text only";
    const auto left = alice.read_frame();
    ASSERT_TRUE(left);
    EXPECT_NE(left->payload.find("left"), std::string::npos) << left->payload;
}

}  // namespace
}  // namespace netlab::testing::lab09
