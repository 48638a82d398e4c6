// Lab 04, poll_chat_server against peers that abuse it: names that would trick a terminal,
// connections that never join or never finish a frame (slowloris), a server full of them, and
// log lines that quote a peer. The real program as a child process; every wait has a deadline.

#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/peer_text.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"

namespace netlab::testing {
namespace {

using core::ChatType;

GRADED_TEST(Lab04Chat, NamesMustBePrintableUtf8, 2) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    struct Case {
        std::string what;
        std::string name;
    };
    const std::vector<Case> cases = {
        {"a C1 control, U+0085 NEL", "\xC2\x85pwn"},
        {"a C1 CSI, U+009B, that clears some terminals",
         "\xC2\x9B"
         "2J"},
        {"invalid UTF-8", "\xFF\xFE"},
        {"an overlong '/'", "\xC0\xAF"},
        {"a UTF-16 surrogate half", "\xED\xA0\x80"},
        {"a right-to-left override, U+202E", "evil\xE2\x80\xAEnimda"},
        {"a leading space", " ann"},
    };
    for (const Case& bad : cases) {
        SCOPED_TRACE("a join whose name holds " + bad.what + ": an error naming the rule, then closed");
        ChatPeer offender(server.endpoint);
        ASSERT_TRUE(offender.send(join_of(bad.name)));
        EXPECT_TRUE(refused(offender, "name")) << "stderr: " << server.log();
    }
    SCOPED_TRACE("a name in Chinese is printable UTF-8: welcomed, and ann hears of it; nobody else joined");
    ChatPeer zhang(server.endpoint);
    ASSERT_EQ(zhang.join("张三"), "");
    EXPECT_TRUE(next_is(ann, join_of("张三")));
}

REFERENCE_TEST(Lab04ChatLimits, LogLinesEscapeWhatAPeerSent) {
    ChatServer server;
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer mallory(server.endpoint);
    ASSERT_EQ(mallory.join("mallory"), "");
    ASSERT_TRUE(next_is(ann, join_of("mallory")));
    SCOPED_TRACE("mallory's say claims a name holding an OSC, a screen clear and a forged log line");
    const std::string forged = "\x1b]0;X\x07\x1b[2J\nadmin: hi";  // 20 bytes: a name may hold 32
    ASSERT_TRUE(mallory.send(say_of(forged, "hi")));
    EXPECT_TRUE(refused(mallory, "cannot claim"));
    EXPECT_TRUE(next_is(ann, leave_of("mallory")));
    const auto logged = [&] { return server.log().find("cannot claim") != std::string::npos; };
    ASSERT_TRUE(wait_until(logged, 10s)) << "stderr: " << server.log();
    const std::string log = server.log();
    EXPECT_EQ(log.find('\x1b'), std::string::npos) << "a raw ESC reached the log: " << printable(log);
    EXPECT_EQ(log.find('\x07'), std::string::npos) << "a raw BEL reached the log: " << printable(log);
    EXPECT_EQ(log.find("\nadmin"), std::string::npos)
        << "a peer's newline forged a log line: " << printable(log);
    EXPECT_NE(log.find("\\e]0;X\\x07\\e[2J\\nadmin: hi"), std::string::npos)
        << "the claimed name should be in the log, escaped: " << printable(log);
}

REFERENCE_TEST(Lab04ChatLimits, SlowlorisConnectionsCannotLockOutARealClient) {
    constexpr int kLoris = 20;
    ChatServer server({"--max-clients", std::to_string(kLoris)});
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    SCOPED_TRACE("20 connections send 2 bytes of a length prefix each and stall; with ann that is 21");
    std::vector<std::unique_ptr<ChatPeer>> loris;
    for (int i = 0; i < kLoris; ++i) {
        loris.push_back(std::make_unique<ChatPeer>(server.endpoint));
        ASSERT_TRUE(loris.back()->send_raw(std::string(2, '\0')));
    }
    SCOPED_TRACE("bob connects and joins: he is welcomed within 3 s (the join deadline is 10 s)");
    const auto start = Clock::now();
    ChatPeer bob(server.endpoint);
    ASSERT_TRUE(bob.send(join_of("bob")));
    const auto welcome = bob.next(3s);
    EXPECT_EQ(welcome, join_of("bob")) << "got " << describe(welcome, bob) << "; stderr: " << server.log();
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_TRUE(next_is(ann, join_of("bob")));
    {
        SCOPED_TRACE("the oldest stalled connections made room: each got an error saying the server is full");
        EXPECT_TRUE(refused(*loris[0], "full"));
        EXPECT_TRUE(refused(*loris[1], "full"));
    }
    SCOPED_TRACE("and ann and bob chat");
    ASSERT_TRUE(bob.send(say_of("", "made it")));
    EXPECT_TRUE(next_is(ann, say_of("bob", "made it")));
}

REFERENCE_TEST(Lab04ChatLimits, FullOfJoinedClientsRefusesTheNewcomer) {
    ChatServer server({"--max-clients", "2"});
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    {
        SCOPED_TRACE("--max-clients 2, both joined: cat gets an error saying the server is full, at once");
        ChatPeer cat(server.endpoint);
        EXPECT_TRUE(refused(cat, "full")) << "stderr: " << server.log();
    }
    SCOPED_TRACE("bob leaves: the next newcomer gets his place");
    ASSERT_TRUE(bob.send(leave_of("")));
    EXPECT_TRUE(next_is(ann, leave_of("bob")));
    ChatPeer dan(server.endpoint);
    EXPECT_EQ(dan.join("dan"), "") << "stderr: " << server.log();
    EXPECT_TRUE(next_is(ann, join_of("dan")));
}

REFERENCE_TEST(Lab04ChatLimits, StalledJoinsAndFramesAreClosedAtTheirDeadlines) {
    ChatServer server({"--join-timeout", "1", "--frame-timeout", "1"});
    ChatPeer ann(server.endpoint);
    ASSERT_EQ(ann.join("ann"), "") << "stderr: " << server.log();
    ChatPeer silent(server.endpoint);  // connects and sends nothing
    ChatPeer halfway(server.endpoint);
    ASSERT_TRUE(halfway.send_raw(frame_of(join_of("hal")).substr(0, 5)));  // a join cut short
    ChatPeer bob(server.endpoint);
    ASSERT_EQ(bob.join("bob"), "");
    ASSERT_TRUE(next_is(ann, join_of("bob")));
    const auto start = Clock::now();
    const long cpu_before = cpu_ticks(server.process.pid());
    ASSERT_TRUE(bob.send_raw(frame_of(say_of("", "never finished")).substr(0, 9)));
    {
        SCOPED_TRACE("--join-timeout 1: the silent and the halfway connection get an error and are closed");
        EXPECT_TRUE(refused(silent, "join")) << "stderr: " << server.log();
        EXPECT_TRUE(refused(halfway, "join")) << "stderr: " << server.log();
    }
    {
        SCOPED_TRACE("--frame-timeout 1: bob, joined but stuck in a frame, is closed; ann hears he left");
        EXPECT_TRUE(refused(bob, "frame")) << "stderr: " << server.log();
        EXPECT_TRUE(next_is(ann, leave_of("bob")));
        const auto took = Clock::now() - start;
        EXPECT_GE(took, 900ms) << "closed before its deadline";
        EXPECT_LT(took, 5s);
    }
    {
        SCOPED_TRACE("the wait was poll()'s timeout, not a busy loop: under a quarter of a CPU");
        const long cpu_used = cpu_ticks(server.process.pid()) - cpu_before;
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        EXPECT_LT(cpu_used * 1000 / ::sysconf(_SC_CLK_TCK), took.count() / 4 + 20);
    }
    SCOPED_TRACE("ann, joined and idle (no frame started), stays: a newcomer can still chat with her");
    ChatPeer cat(server.endpoint);
    ASSERT_EQ(cat.join("cat"), "");
    EXPECT_TRUE(next_is(ann, join_of("cat")));
    ASSERT_TRUE(ann.send(say_of("", "still here")));
    EXPECT_TRUE(next_is(cat, say_of("ann", "still here")));
}

}  // namespace
}  // namespace netlab::testing
