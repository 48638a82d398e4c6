// Lab 04, chat_client end to end: two real clients (child processes) talk through a real
// poll_chat_server, their stdin and stdout being the test's pipes.

#include <string>

#include "graded.hpp"
#include "lab04_helpers.hpp"

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

GRADED_TEST(Lab04ChatClient, TwoClientsChatThroughTheServer, 2) {
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

}  // namespace
}  // namespace netlab::testing
