// Lab 06, qt_chat_client against lab 04's poll_chat_server (the reference build): the Qt client
// and a plain test-side client (lab 03's codec) in one chat, both directions. Two stacks, one protocol.

#include "child_process.hpp"
#include "graded.hpp"
#include "lab06_helpers.hpp"
#include "server_process.hpp"

namespace netlab::testing {
namespace {

using core::ChatMessage;
using core::ChatType;

/// Joins a RawChatClient as name and waits for the welcome.
std::string join(RawChatClient& client, const std::string& name) {
    if (!client.send({ChatType::join, name, ""})) {
        return "could not send the join";
    }
    const auto welcome = client.next();
    if (!welcome) {
        return "no welcome: " + client.problem();
    }
    return *welcome == ChatMessage{ChatType::join, name, ""} ? "" : "the welcome was " + describe(*welcome);
}

/// Expects the next message for client to be expected.
void expect_next(RawChatClient& client, const ChatMessage& expected) {
    const auto got = client.next();
    ASSERT_TRUE(got.has_value()) << "waiting for " << describe(expected) << ": " << client.problem();
    EXPECT_EQ(describe(*got), describe(expected));
}

GRADED_TEST(Lab06Chat, QtClientAndLab04ServerTalkBothWays, 10) {
    ServerProcess server("reference_poll_chat_server", listen_args());
    RawChatClient tess(server.endpoint.host, server.endpoint.port);
    ASSERT_EQ(join(tess, "tess"), "");

    ChildProcess qt("qt_chat_client", {"--connect", format_host_port(server.endpoint), "--name", "qt"});
    {
        SCOPED_TRACE("Qt to lab 04: the join, then a line of standard input as a say");
        qt.write_stdin("hello from qt\n");
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::join, "qt", ""})));
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::say, "qt", "hello from qt"})));
    }
    {
        SCOPED_TRACE("lab 04 to Qt: a say from the plain client, printed as 'tess: ...'");
        ASSERT_TRUE(tess.send({ChatType::say, "", "hi qt, from a plain socket"}));
        std::optional<std::string> line;
        do {
            line = qt.read_line(10s);
        } while (line && *line != "tess: hi qt, from a plain socket");
        EXPECT_TRUE(line.has_value()) << "qt_chat_client never printed the say; stderr: " << qt.stderr_text();
    }
    {
        SCOPED_TRACE("a long line and a burst: several frames on the way at once");
        qt.write_stdin(std::string(5000, 'x') + "\none\ntwo\nthree\n");
        ASSERT_NO_FATAL_FAILURE(
            (expect_next(tess, {ChatType::say, "qt", std::string(core::kMaxChatText, 'x')})));
        ASSERT_NO_FATAL_FAILURE(
            (expect_next(tess, {ChatType::say, "qt", std::string(5000 - core::kMaxChatText, 'x')})));
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::say, "qt", "one"})));
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::say, "qt", "two"})));
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::say, "qt", "three"})));
    }
    {
        SCOPED_TRACE("the end of standard input: a leave, then exit 0 once the server closed");
        qt.close_stdin();
        ASSERT_NO_FATAL_FAILURE((expect_next(tess, {ChatType::leave, "qt", ""})));
        EXPECT_EQ(qt.wait_exit(10s), 0) << qt.stderr_text();
    }
}

GRADED_TEST(Lab06Chat, RefusedNameIsReportedWithExitStatus1, 4) {
    ServerProcess server("reference_poll_chat_server", listen_args());
    RawChatClient first(server.endpoint.host, server.endpoint.port);
    ASSERT_EQ(join(first, "taken"), "");
    ChildProcess qt("qt_chat_client", {"--connect", format_host_port(server.endpoint), "--name", "taken"});
    EXPECT_EQ(qt.wait_exit(10s), 1);
    EXPECT_NE(qt.stderr_text().find("is taken"), std::string::npos) << "stderr: " << qt.stderr_text();
}

}  // namespace
}  // namespace netlab::testing
