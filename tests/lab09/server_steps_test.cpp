// Lab 09, the server built one row at a time: the lab's WsServer runs in the test process
// (LocalServer) with a handler the test writes, so each step is graded as soon as it is written,
// before EchoHandler, finish or the event callback exist. Accepting and holding clients up to the
// limit; HTTP answers to requests that cannot upgrade; the 101 and a first message from on_open;
// then frames in, events handled: messages, pings, the peer's Close and a violation.
// A step that is not written yet stops the in-process loop with its TODO, which each failure quotes.

#include <atomic>
#include <span>
#include <string>

#include "09_websocket/server/session.hpp"
#include "09_websocket/server/ws_server.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"
#include "local_server.hpp"

namespace netlab::testing::lab09 {
namespace {

namespace ws = netlab::websocket;

/// For a failure message: whether the in-process loop still runs, or the exception that stopped it
/// (waits up to half a second for a loop that is stopping).
std::string loop_state(LocalServer& server) {
    const std::string error = server.error();
    return error.empty() ? "(the server's loop is still running)"
                         : "(the server's loop stopped: " + error + ")";
}

/// A handler that does nothing: the steps before any message.
class Quiet final : public ws::Handler {
public:
    void on_message(ws::Session& /*session*/, ws::Opcode /*opcode*/,
                    std::span<const std::byte> /*payload*/) override {}
};

GRADED_TEST(Lab09ServerSteps, AcceptedClientsAreHeldUpToTheLimit, 2) {
    Quiet quiet;
    ws::ServerOptions options;
    options.max_connections = 2;
    LocalServer server(quiet, options);
    SCOPED_TRACE("three clients connect and say nothing; --max-connections is 2");
    // connect() returns once the kernel has queued a client, accepted by the server or not.
    RawWs first(server.port());
    RawWs second(server.port());
    RawWs third(server.port());
    EXPECT_TRUE(server.holds(2, 5s))
        << "the server should accept two clients, keep both, leave the third in the backlog, and keep "
           "its loop running (the write callback runs as soon as a fresh connection is writable) "
        << loop_state(server);
}

/// Serves a short page for GET /page; any other GET that is not an upgrade gets the 426.
class PageHandler final : public ws::Handler {
public:
    static constexpr const char* kPage = "a page for a plain GET\n";
    std::optional<ws::HttpReply> on_http(const ws::HttpHead& request) override {
        if (request.target != "/page") {
            return std::nullopt;
        }
        return ws::HttpReply{200, "text/plain; charset=utf-8", kPage};
    }
    void on_message(ws::Session& /*session*/, ws::Opcode /*opcode*/,
                    std::span<const std::byte> /*payload*/) override {}
};

/// What a fresh in-process server answers to request: its head (and `body` bytes after it).
struct Answer {
    std::string head;
    std::string body;
};

Answer ask(const std::string& request, bool one_byte_at_a_time = false, std::size_t body = 0) {
    PageHandler pages;
    ws::ServerOptions options;
    options.head.max_bytes = 1024;
    LocalServer server(pages, options);
    RawWs client(server.port());
    for (std::size_t at = 0; at < request.size();) {
        const std::size_t n = one_byte_at_a_time ? 1 : request.size();
        if (!client.send(request.substr(at, n))) {
            ADD_FAILURE() << "the server went away after " << at << " bytes " << loop_state(server);
            break;
        }
        at += n;
    }
    Answer answer{client.read_head(), ""};
    if (body > 0) {
        answer.body = client.read_bytes(body).value_or("<no body>");
    }
    if (answer.head.empty()) {
        answer.head = "<no answer> " + loop_state(server);
    }
    return answer;
}

GRADED_TEST(Lab09ServerSteps, RequestsThatCannotUpgradeGetHttpAnswers, 3) {
    const std::string request = sample_request();
    {
        SCOPED_TRACE("POST, sent one byte per write: 405 with Allow: GET once the head is complete");
        const std::string head = ask("POST" + request.substr(3), true).head;
        EXPECT_EQ(head.rfind("HTTP/1.1 405", 0), 0u) << head;
        EXPECT_NE(head.find("\r\nAllow: GET\r\n"), std::string::npos) << head;
    }
    {
        SCOPED_TRACE("a plain GET the handler has no page for: 426 with Upgrade: websocket");
        const std::string head = ask("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").head;
        EXPECT_EQ(head.rfind("HTTP/1.1 426", 0), 0u) << head;
        EXPECT_NE(head.find("\r\nUpgrade: websocket\r\n"), std::string::npos) << head;
    }
    {
        SCOPED_TRACE("a plain GET /page: the handler's page, whole");
        const std::string page = PageHandler::kPage;
        const Answer answer = ask("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false, page.size());
        EXPECT_EQ(answer.head.rfind("HTTP/1.1 200", 0), 0u) << answer.head;
        EXPECT_NE(answer.head.find("Content-Length: " + std::to_string(page.size())), std::string::npos)
            << answer.head;
        EXPECT_EQ(answer.body, page);
    }
    {
        SCOPED_TRACE("Sec-WebSocket-Version: 8: 426 naming version 13");
        std::string old_version = request;
        old_version.replace(old_version.find("Version: 13"), 11, "Version: 8");
        const std::string head = ask(old_version).head;
        EXPECT_EQ(head.rfind("HTTP/1.1 426", 0), 0u) << head;
        EXPECT_NE(head.find("\r\nSec-WebSocket-Version: 13\r\n"), std::string::npos) << head;
    }
    {
        SCOPED_TRACE("a field line without a colon: the parser's 400");
        const std::string head = ask("GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n").head;
        EXPECT_EQ(head.rfind("HTTP/1.1 400", 0), 0u) << head;
    }
    {
        SCOPED_TRACE("2 000 bytes of a head that never ends, against a limit of 1024: 431");
        const std::string head = ask("GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'x')).head;
        EXPECT_EQ(head.rfind("HTTP/1.1 431", 0), 0u) << head.substr(0, 200);
    }
}

/// Greets each new session from on_open with the path it asked for.
class Greeter final : public ws::Handler {
public:
    void on_open(ws::Session& session) override {
        session.send(ws::Opcode::text, ws::as_bytes("welcome to " + session.path()));
    }
    void on_message(ws::Session& /*session*/, ws::Opcode /*opcode*/,
                    std::span<const std::byte> /*payload*/) override {}
};

GRADED_TEST(Lab09ServerSteps, UpgradeAnswers101ThenOnOpenMaySend, 2) {
    Greeter greeter;
    LocalServer server(greeter);
    RawWs client(server.port());
    const std::string head = client.handshake(sample_request("/room"));
    ASSERT_EQ(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u)
        << head.substr(0, 300) << " " << loop_state(server);
    EXPECT_NE(head.find("\r\nSec-WebSocket-Accept: " + std::string(kSampleAccept) + "\r\n"),
              std::string::npos)
        << head;
    const auto greeting = client.read_frame();
    ASSERT_TRUE(greeting) << "the message on_open sends never came: the connection must be open (and its "
                             "path known) before on_open runs, and write_out must queue what is left "
                          << loop_state(server);
    EXPECT_EQ(greeting->opcode(), 0x1);
    EXPECT_TRUE(greeting->fin());
    EXPECT_FALSE(greeting->masked) << "a server never masks";
    EXPECT_EQ(greeting->payload, "welcome to /room");
}

/// Answers each message with a binary one that says what arrived: "text:" or "binary:", then the
/// payload; remembers the code on_close reported.
class Describer final : public ws::Handler {
public:
    void on_message(ws::Session& session, ws::Opcode opcode, std::span<const std::byte> payload) override {
        std::string reply = opcode == ws::Opcode::text ? "text:" : "binary:";
        reply += ws::as_text(payload);
        session.send(ws::Opcode::binary, ws::as_bytes(reply));
    }
    void on_close(ws::Session& /*session*/, std::uint16_t code) override { closed_with = code; }
    std::atomic<int> closed_with{0};
};

GRADED_TEST(Lab09ServerSteps, MessagesReachTheHandlerAndPingsAreAnswered, 2) {
    Describer describer;
    LocalServer server(describer, {}, 16 * 1024);  // a small send buffer: a long reply is partly queued
    RawWs client(server.port());
    {
        SCOPED_TRACE("a text frame in the same write as the upgrade request");
        ASSERT_TRUE(client.send(sample_request() + client_frame(0x81, "right behind the request")));
        const std::string head = client.read_head();
        ASSERT_EQ(head.rfind("HTTP/1.1 101", 0), 0u) << head.substr(0, 300) << " " << loop_state(server);
        const auto reply = client.read_frame();
        ASSERT_TRUE(reply) << loop_state(server);
        EXPECT_EQ(reply->payload, "text:right behind the request");
    }
    {
        SCOPED_TRACE("a ping between the fragments of a text: the pong first, then the whole message");
        ASSERT_TRUE(client.send(client_frame(0x01, "Hel") + client_frame(0x89, "are you there") +
                                client_frame(0x80, "lo")));
        const auto pong = client.read_frame();
        ASSERT_TRUE(pong) << loop_state(server);
        EXPECT_EQ(pong->opcode(), 0xA);
        EXPECT_EQ(pong->payload, "are you there");
        EXPECT_FALSE(pong->masked) << "a server never masks";
        const auto reply = client.read_frame();
        ASSERT_TRUE(reply) << loop_state(server);
        EXPECT_EQ(reply->payload, "text:Hello");
    }
    {
        SCOPED_TRACE(
            "an unsolicited pong, then 300 000 bytes of binary: the reply, larger than the "
            "server's send buffer, comes back whole");
        const std::string big = random_bytes(300000);
        ASSERT_TRUE(client.send(client_frame(0x8A, "unsolicited") + client_frame(0x82, big)));
        const auto reply = client.read_frame();
        ASSERT_TRUE(reply) << loop_state(server);
        EXPECT_EQ(reply->opcode(), 0x2) << "the pong must produce nothing";
        EXPECT_BYTES_EQ("binary:" + big, reply->payload);
    }
}

/// Opens a session on a fresh in-process server, sends frames, and returns the first frame that
/// comes back and the code the handler's on_close heard.
struct Ending {
    std::optional<RawFrame> frame;
    int closed_with = 0;
    std::string loop;
};

Ending end_with(const std::string& frames) {
    Describer describer;
    Ending ending;
    {
        LocalServer server(describer);
        RawWs client = RawWs::open(server.port());
        EXPECT_TRUE(client.send(frames));
        ending.frame = client.read_frame();
        if (!ending.frame) {
            ending.loop = loop_state(server);
        }
    }
    ending.closed_with = describer.closed_with;
    return ending;
}

GRADED_TEST(Lab09ServerSteps, PeerClosesAndViolationsAreAnsweredWithTheirCodes, 2) {
    {
        SCOPED_TRACE("the client's Close 4001 \"bye\": echoed with its code and reason; on_close hears 4001");
        const Ending ending = end_with(client_frame(0x88, std::string("\x0F\xA1"
                                                                      "bye",
                                                                      5)));
        ASSERT_TRUE(ending.frame) << ending.loop;
        EXPECT_EQ(ending.frame->opcode(), 0x8);
        EXPECT_EQ(ending.frame->payload, std::string("\x0F\xA1"
                                                     "bye",
                                                     5));
        EXPECT_EQ(ending.closed_with, 4001);
    }
    {
        SCOPED_TRACE(
            "an empty Close: answered with an empty Close (1005 is never sent); on_close hears 1005");
        const Ending ending = end_with(client_frame(0x88, ""));
        ASSERT_TRUE(ending.frame) << ending.loop;
        EXPECT_EQ(ending.frame->opcode(), 0x8);
        EXPECT_EQ(ending.frame->payload, "");
        EXPECT_EQ(ending.closed_with, 1005);
    }
    {
        SCOPED_TRACE("an unmasked frame: Close 1002 with a reason; on_close hears 1002");
        const Ending ending = end_with(client_frame(0x81, "no mask", false));
        ASSERT_TRUE(ending.frame) << ending.loop;
        EXPECT_EQ(ending.frame->opcode(), 0x8);
        EXPECT_EQ(ending.frame->close_code(), 1002);
        EXPECT_GT(ending.frame->payload.size(), 2u) << "the Close should say why";
        EXPECT_EQ(ending.closed_with, 1002);
    }
}

}  // namespace
}  // namespace netlab::testing::lab09
