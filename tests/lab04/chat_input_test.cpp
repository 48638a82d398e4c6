// Lab 04, poll_chat_server's input side before anyone joins: frames read into the decoder (too
// large, in pieces, unfinished, ended by EOF or a reset) and the messages a client may not send
// first. No test here joins, so none needs the join or the broadcast. The real program as a child
// process, driven by the test's sockets; every wait has a deadline.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using core::ChatMessage;
using core::ChatType;

/// Sends each byte of bytes on its own (TCP_NODELAY): the server reads them in pieces.
bool send_byte_by_byte(ChatPeer& peer, const std::string& bytes) {
    const int on = 1;
    ::setsockopt(peer.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    for (const char byte : bytes) {
        if (!peer.send_raw(std::string(1, byte))) {
            return false;
        }
    }
    return true;
}

GRADED_TEST(Lab04ChatInput, OversizedFramesAreRefusedHoweverTheyArrive, 2) {
    ChatServer server;
    {
        SCOPED_TRACE(
            "eve announces a frame of 4 GiB one byte at a time: an error naming the maximum, then EOF");
        ChatPeer eve(server.endpoint);
        ASSERT_TRUE(send_byte_by_byte(eve, std::string(4, '\xff')));
        EXPECT_TRUE(refused(eve, "maximum")) << "stderr: " << server.log();
    }
    {
        SCOPED_TRACE("mallory sends a frame one byte over the maximum, in one piece with junk behind it");
        ChatPeer mallory(server.endpoint);
        ASSERT_TRUE(mallory.send_raw(frame_of(std::string(core::kMaxChatMessage + 1, 'm'))));
        EXPECT_TRUE(refused(mallory, "maximum")) << "stderr: " << server.log();
    }
    {
        SCOPED_TRACE("two clients at once: one sends the prefix of 5 MB in two pieces, the other in one");
        ChatPeer one(server.endpoint);
        ChatPeer two(server.endpoint);
        const std::string prefix("\x00\x50\x00\x00", 4);
        ASSERT_TRUE(one.send_raw(prefix.substr(0, 2)));
        ASSERT_TRUE(two.send_raw(prefix));
        ASSERT_TRUE(one.send_raw(prefix.substr(2)));
        EXPECT_TRUE(refused(two, "maximum")) << "stderr: " << server.log();
        EXPECT_TRUE(refused(one, "maximum")) << "stderr: " << server.log();
    }
    EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
}

GRADED_TEST(Lab04ChatInput, EndOfStreamAndResetsCloseTheConnection, 2) {
    ChatServer server;
    const pid_t pid = server.process.pid();
    const int idle = open_descriptors(pid);
    ASSERT_GT(idle, 0);
    {
        SCOPED_TRACE("three clients connect; the server holds a descriptor for each");
        std::vector<std::unique_ptr<ChatPeer>> peers;
        for (int i = 0; i < 3; ++i) {
            peers.push_back(std::make_unique<ChatPeer>(server.endpoint));
        }
        EXPECT_TRUE(wait_until([&] { return open_descriptors(pid) == idle + 3; }, 5s))
            << "open descriptors: " << open_descriptors(pid) << ", idle: " << idle
            << "; stderr: " << server.log();
        SCOPED_TRACE("one closes at once, one sends half a length prefix and closes, one is reset");
        peers[0].reset();
        ASSERT_TRUE(peers[1]->send_raw(std::string(2, '\0')));
        peers[1].reset();
        reset_connection(peers[2]->take());
    }
    SCOPED_TRACE("the server closes all three (end of stream, or a failed recv) and goes on running");
    EXPECT_TRUE(wait_until([&] { return open_descriptors(pid) == idle; }, 5s))
        << "open descriptors: " << open_descriptors(pid) << ", idle: " << idle
        << "; stderr: " << server.log();
    EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
    ChatPeer late(server.endpoint);
    ASSERT_TRUE(late.send_raw(std::string(4, '\xff')));
    EXPECT_TRUE(refused(late, "maximum")) << "stderr: " << server.log();
}

GRADED_TEST(Lab04ChatInput, APartialFrameIsHeldToItsDeadline, 1) {
    ChatServer server({"--frame-timeout", "1", "--join-timeout", "60"});
    SCOPED_TRACE(
        "a client sends 2 bytes of a length prefix and stalls: the bytes are in the decoder, so the "
        "frame deadline (1 s, given code) refuses it long before the join deadline (60 s)");
    ChatPeer stalled(server.endpoint);
    ASSERT_TRUE(stalled.send_raw(std::string(2, '\0')));
    EXPECT_TRUE(refused(stalled, "not finished")) << "stderr: " << server.log();
}

GRADED_TEST(Lab04ChatInput, MessagesBeforeTheJoinAreRefused, 4) {
    ChatServer server;
    struct Case {
        std::string what;
        std::string bytes;  // framed
        std::string reason_part;
    };
    const std::vector<Case> cases = {
        {"an unknown message type 9", frame_of(std::string("\x09\x00\x00\x00", 4)), "type"},
        {"a message cut short (1 byte)", frame_of(std::string("\x02", 1)), "truncated"},
        {"trailing bytes after the text", frame_of(text_of(core::encode_chat(join_of("tom"))) + "!"),
         "trailing"},
        {"a say", frame_of(say_of("", "hello?")), "join"},
        {"a say that names itself", frame_of(say_of("sam", "hello?")), "join"},
        {"a leave", frame_of(leave_of("")), "join"},
        {"an error message", frame_of(ChatMessage{ChatType::error, "", "boo"}), "join"},
    };
    for (const Case& bad : cases) {
        SCOPED_TRACE(bad.what + " before any join: an error message, then the connection closes");
        ChatPeer offender(server.endpoint);
        ASSERT_TRUE(offender.send_raw(bad.bytes));
        EXPECT_TRUE(refused(offender, bad.reason_part)) << "stderr: " << server.log();
    }
    EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
    SCOPED_TRACE(
        "each refusal is logged in a line saying 'refused' (stderr is read by another thread: wait)");
    const auto logged_all = [&] { return times_logged(server, "refused") >= cases.size(); };
    EXPECT_TRUE(wait_until(logged_all, 10s)) << "stderr: " << server.log();
}

}  // namespace
}  // namespace netlab::testing
