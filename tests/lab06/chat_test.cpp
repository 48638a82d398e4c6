// Lab 06, qt_chat_client against lab 04's poll_chat_server (the reference build): the Qt client
// and a plain test-side client (lab 03's codec) in one chat, both directions. Two stacks, one protocol.
// Then against a test-side server that misbehaves on purpose: hostile text, and no welcome at all.

#include <chrono>
#include <csignal>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

#include "child_process.hpp"
#include "graded.hpp"
#include "lab06_helpers.hpp"
#include "server_process.hpp"
#include "test_socket.hpp"

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

/// qt_chat_client's arguments for the test-side listener, as "qt", plus extra ones.
std::vector<std::string> client_args(int listener, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--connect", "127.0.0.1:" + std::to_string(bound_port(listener)), "--name",
                                  "qt"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

REFERENCE_TEST(Lab06Chat, HostilePeerTextIsEscaped) {
    const UniqueFd listener = listen_loopback();
    ChildProcess qt("qt_chat_client", client_args(listener.get()));
    UniqueFd accepted = accept_within(listener.get(), 10s);
    ASSERT_TRUE(accepted) << "qt_chat_client did not connect; stderr: " << qt.stderr_text();
    {
        RawChatClient server(std::move(accepted));  // closed at the end of this block, after the leave
        ASSERT_NO_FATAL_FAILURE((expect_next(server, {ChatType::join, "qt", ""})));
        SCOPED_TRACE("the welcome, then a say with an OSC title, a BEL and a forged line, a hostile name");
        ASSERT_TRUE(server.send({ChatType::join, "qt", ""}));
        ASSERT_TRUE(server.send({ChatType::say, "mallory", "\x1b]0;x\x07hi\nadmin: pwned"}));
        ASSERT_TRUE(server.send({ChatType::join, "\x1b[2Jeve\radmin", ""}));
        ASSERT_TRUE(server.send({ChatType::error, "", "bad\x1b[31m\nadmin: pwned"}));
        qt.close_stdin();
        ASSERT_NO_FATAL_FAILURE((expect_next(server, {ChatType::leave, "", ""})));
    }
    SCOPED_TRACE("stdout and stderr hold no ESC, BEL or CR, and no line starts with 'admin:'");
    const auto out = qt.read_all_stdout(10s);
    ASSERT_TRUE(out.has_value()) << "stdout still open after 10 s; stderr: " << qt.stderr_text();
    for (const std::string& text : {*out, qt.stderr_text()}) {
        EXPECT_EQ(text.find_first_of("\x1b\x07\r"), std::string::npos) << "printed: " << text;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            EXPECT_NE(line.rfind("admin:", 0), 0u) << "a forged line: " << line;
        }
    }
    EXPECT_NE(out->find("mallory: \\e]0;x\\x07hi\\nadmin: pwned"), std::string::npos) << *out;
}

REFERENCE_TEST(Lab06Chat, SilentServerHitsTheProgressTimeout) {
    const UniqueFd listener = listen_loopback();
    ChildProcess qt("qt_chat_client", client_args(listener.get(), {"--timeout", "1"}));
    const UniqueFd accepted = accept_within(listener.get(), 10s);
    ASSERT_TRUE(accepted) << "qt_chat_client did not connect; stderr: " << qt.stderr_text();
    SCOPED_TRACE("a server that accepts and never writes: exit 1 after about 1 s, naming the welcome");
    const auto start = std::chrono::steady_clock::now();
    const auto status = qt.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << qt.stderr_text();
    EXPECT_NE(qt.stderr_text().find("no progress for 1 s: the server sent no welcome"), std::string::npos)
        << qt.stderr_text();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
}

REFERENCE_TEST(Lab06Chat, ServerThatNeverReadsHitsTheProgressTimeout) {
    const std::string line = std::string(1000, 'x') + '\n';
    std::string lines;  // 32 MiB of says: far more than every buffer on the way holds
    lines.reserve((32u << 20) + line.size());
    while (lines.size() < (32u << 20)) {
        lines += line;
    }
    const UniqueFd listener = listen_loopback();
    set_buffer_sizes(listener.get(), 4096, 4096);  // the accepted socket inherits a small window
    ChildProcess qt("qt_chat_client", client_args(listener.get(), {"--timeout", "1"}));
    UniqueFd accepted = accept_within(listener.get(), 10s);
    ASSERT_TRUE(accepted) << "qt_chat_client did not connect; stderr: " << qt.stderr_text();
    RawChatClient server(std::move(accepted));
    ASSERT_NO_FATAL_FAILURE((expect_next(server, {ChatType::join, "qt", ""})));
    ASSERT_TRUE(server.send({ChatType::join, "qt", ""}));
    SCOPED_TRACE("welcomed, then 32 MiB of lines to say, and a server that never reads again");
    const auto start = std::chrono::steady_clock::now();
    std::thread feeder([&qt, &lines] {
        try {
            qt.write_stdin(lines);  // blocks once every buffer on the way is full
        } catch (const std::system_error&) {
            // EPIPE: the client exited, which is what this test waits for
        }
    });
    const auto status = qt.wait_exit(20s);  // 1 s once the buffers are full; filling them takes a while
    EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << qt.stderr_text();
    EXPECT_NE(qt.stderr_text().find("no progress for 1 s: the server is not reading what we send"),
              std::string::npos)
        << qt.stderr_text();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
    if (!status) {
        qt.send_signal(SIGKILL);  // ends the feeder's blocked write
    }
    feeder.join();
}

}  // namespace
}  // namespace netlab::testing
