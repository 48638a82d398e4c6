// Lab 04, chat_client end to end: two real clients (child processes) talk through a real
// poll_chat_server, their stdin and stdout being the test's pipes; then a peer that sends terminal
// escapes, and servers that stall.

#include <sys/socket.h>

#include <string>

#include "common/peer_text.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// Reads stdout lines of client until one equals expected (true) or the deadline passes (false);
/// the lines read on the way are appended to seen.
bool wait_for_line(ChildProcess& client, const std::string& expected, std::string& seen) {
    while (const auto line = client.read_line(10s)) {
        seen += *line + "\n";
        if (*line == expected) {
            return true;
        }
    }
    return false;
}

GRADED_TEST(Lab04ChatClient, TwoClientsChatThroughTheServer, 1) {
    const ServerProcess server("poll_chat_server", listen_args());
    const std::string address = server.endpoint.host + ":" + std::to_string(server.endpoint.port);
    ChildProcess ann("chat_client", {"--connect", address, "--name", "ann"});
    std::string ann_seen;
    std::string bob_seen;
    {
        SCOPED_TRACE("ann starts and is welcomed");
        ASSERT_TRUE(wait_for_line(ann, "* ann joined", ann_seen))
            << "ann's stdout: " << ann_seen << "; stderr: " << ann.stderr_text();
    }
    ChildProcess bob("chat_client", {"--connect", address, "--name", "bob"});
    {
        SCOPED_TRACE("bob starts and types a line: ann sees bob join, then his line");
        ASSERT_TRUE(wait_for_line(bob, "* bob joined", bob_seen)) << "bob's stdout: " << bob_seen;
        bob.write_stdin("hello from bob\n");
        EXPECT_TRUE(wait_for_line(ann, "* bob joined", ann_seen)) << "ann's stdout: " << ann_seen;
        EXPECT_TRUE(wait_for_line(ann, "bob: hello from bob", ann_seen)) << "ann's stdout: " << ann_seen;
    }
    {
        SCOPED_TRACE(
            "ann answers without a newline at the end, then ends her input: bob sees it, then ann left");
        ann.write_stdin("hi bob");
        ann.close_stdin();
        EXPECT_TRUE(wait_for_line(bob, "ann: hi bob", bob_seen)) << "bob's stdout: " << bob_seen;
        EXPECT_TRUE(wait_for_line(bob, "* ann left", bob_seen)) << "bob's stdout: " << bob_seen;
        const auto status = ann.wait_exit(10s);
        EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << ann.stderr_text();
    }
    SCOPED_TRACE("a third client asking for the name bob is refused: the server's reason on stderr, exit 1");
    ChildProcess impostor("chat_client", {"--connect", address, "--name", "bob"});
    impostor.close_stdin();
    const auto status = impostor.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status);
    EXPECT_NE(impostor.stderr_text().find("taken"), std::string::npos)
        << "stderr: " << impostor.stderr_text();
    bob.close_stdin();
    EXPECT_EQ(bob.wait_exit(10s), 0) << "stderr: " << bob.stderr_text();
}

REFERENCE_TEST(Lab04ChatClient, PeerTextIsEscapedOnTheScreen) {
    const ServerProcess server("poll_chat_server", listen_args());
    const std::string address = format_host_port(server.endpoint);
    ChildProcess ann("chat_client", {"--connect", address, "--name", "ann"});
    std::string ann_seen;
    ASSERT_TRUE(wait_for_line(ann, "* ann joined", ann_seen)) << "stderr: " << ann.stderr_text();
    ChatPeer mallory(server.endpoint);
    ASSERT_EQ(mallory.join("mallory"), "");
    ASSERT_TRUE(wait_for_line(ann, "* mallory joined", ann_seen)) << "ann's stdout: " << printable(ann_seen);
    SCOPED_TRACE("mallory's say retitles the terminal (OSC 0), then forges a line from 'admin'");
    ASSERT_TRUE(mallory.send(say_of("", "\x1b]0;x\x07\nadmin: hi")));
    ASSERT_TRUE(mallory.send(say_of("", "done")));
    EXPECT_TRUE(wait_for_line(ann, "mallory: done", ann_seen)) << "ann's stdout: " << printable(ann_seen);
    EXPECT_EQ(ann_seen.find('\x1b'), std::string::npos) << "a raw ESC reached ann's terminal";
    EXPECT_EQ(ann_seen.find('\x07'), std::string::npos) << "a raw BEL reached ann's terminal";
    EXPECT_EQ(ann_seen.find("\nadmin: hi"), std::string::npos)
        << "mallory forged a line: " << printable(ann_seen);
    EXPECT_NE(ann_seen.find("mallory: \\e]0;x\\x07\\nadmin: hi\n"), std::string::npos)
        << "the say should show escaped, on mallory's one line: " << printable(ann_seen);
    ann.close_stdin();
    EXPECT_EQ(ann.wait_exit(10s), 0) << "stderr: " << ann.stderr_text();
}

/// A test-side chat server that accepts chat_client and then stalls: after the welcome if
/// welcome is true, else at once. Returns the client's exit status and stderr.
struct StalledRun {
    std::optional<int> status;
    std::string err;
    std::chrono::milliseconds took;
};
StalledRun run_against_stalled_server(bool welcome) {
    const UniqueFd listener = listen_loopback(AF_INET);
    ChildProcess client("chat_client",
                        {"--connect", "127.0.0.1:" + std::to_string(bound_port(listener.get())), "--name",
                         "ann", "--timeout", "1"});
    client.close_stdin();  // once welcomed, the client leaves at once and waits for the close
    UniqueFd accepted;
    wait_until([&] { return (accepted = accept_within(listener.get(), 20ms)) || client.wait_exit(0ms); },
               10s);
    const auto start = Clock::now();
    if (accepted && welcome) {
        send_within(accepted.get(), frame_of(join_of("ann")), 5s);
    }
    StalledRun run;
    run.status = client.wait_exit(10s);
    run.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    run.err = client.stderr_text();
    return run;
}

REFERENCE_TEST(Lab04ChatClient, GivesUpOnAServerThatSendsNoWelcome) {
    SCOPED_TRACE("a server that accepts and says nothing: --timeout 1 ends the client with exit 1");
    const StalledRun run = run_against_stalled_server(false);
    EXPECT_EQ(run.status, 1) << describe_exit(run.status) << "; stderr: " << run.err;
    EXPECT_NE(run.err.find("no progress for 1 s: the server sent no welcome"), std::string::npos)
        << "stderr: " << run.err;
    EXPECT_GE(run.took, 900ms);
}

REFERENCE_TEST(Lab04ChatClient, GivesUpOnAServerThatNeverClosesAfterTheLeave) {
    SCOPED_TRACE("a server that welcomes, then never closes after the client's leave: exit 1 after 1 s");
    const StalledRun run = run_against_stalled_server(true);
    EXPECT_EQ(run.status, 1) << describe_exit(run.status) << "; stderr: " << run.err;
    EXPECT_NE(run.err.find("no progress for 1 s: the server did not close"), std::string::npos)
        << "stderr: " << run.err;
}

}  // namespace
}  // namespace netlab::testing
