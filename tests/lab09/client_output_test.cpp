// Lab 09, ws_client against a server played by the test: the end of stdin sends our Close, and a
// connection that ends without the server's Close fails the run; text, pongs and close reasons from the
// server reach the terminal escaped (an ESC sequence cannot retitle or clear it, an embedded
// newline cannot forge a line), and a server's Close that reports a failure fails the run.

#include <sys/socket.h>

#include <string>

#include "graded.hpp"
#include "lab09_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing::lab09 {
namespace {

/// ws_client connected to a listener of the test's, whose server side the test plays.
struct ScriptedServer {
    explicit ScriptedServer(std::vector<std::string> extra_args = {}) {
        std::vector<std::string> args = {"--connect",
                                         "127.0.0.1:" + std::to_string(bound_port(listener.get()))};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        client.emplace("ws_client", args);
        peer.emplace(RawWs::accept_upgrade(listener.get()));
    }

    /// Reads the client's Close (its code, -1 if none came), then closes TCP first, as a server does.
    int finish() {
        const int code = peer->read_close_code();
        ::shutdown(peer->get(), SHUT_WR);
        peer->wait_eof();
        return code;
    }

    UniqueFd listener = listen_loopback();
    std::optional<ChildProcess> client;
    std::optional<RawWs> peer;
};

bool has_forged_line(const std::string& out, const std::string& start) {
    return out.rfind(start, 0) == 0 || out.find("\n" + start) != std::string::npos;
}

GRADED_TEST(Lab09OurClient, EndOfInputClosesAndAMissingCloseFailsTheRun, 2) {
    {
        SCOPED_TRACE("stdin ends: a masked Close 1000; TCP then ends without the server's Close: exit 1");
        ScriptedServer scene;
        scene.client->close_stdin();
        const auto ours = scene.peer->read_frame();
        ASSERT_TRUE(ours) << scene.client->stderr_text();
        EXPECT_EQ(ours->opcode(), 0x8);
        EXPECT_TRUE(ours->masked) << "a client masks every frame";
        EXPECT_EQ(ours->close_code(), 1000);
        ::shutdown(scene.peer->get(), SHUT_WR);
        const auto status = scene.client->wait_exit(10s);
        const std::string err = scene.client->stderr_text();
        EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << err;
        EXPECT_NE(err.find("1006"), std::string::npos) << "no Close frame came: " << err;
    }
    {
        SCOPED_TRACE("the server ends TCP while stdin is still open: exit 1, 1006");
        ScriptedServer scene;
        ::shutdown(scene.peer->get(), SHUT_WR);
        const auto status = scene.client->wait_exit(10s);
        const std::string err = scene.client->stderr_text();
        EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << err;
        EXPECT_NE(err.find("1006"), std::string::npos) << err;
    }
    {
        SCOPED_TRACE("our Close gets no answer: the close handshake ends at --timeout, exit 1");
        ScriptedServer scene({"--timeout", "300"});
        scene.client->close_stdin();
        EXPECT_EQ(scene.peer->read_close_code(), 1000);
        const auto status = scene.client->wait_exit(10s);
        const std::string err = scene.client->stderr_text();
        EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << err;
        EXPECT_NE(err.find("did not finish"), std::string::npos) << err;
    }
}

GRADED_TEST(Lab09OurClient, PeerTextIsEscapedBeforeTheTerminal, 2) {
    ScriptedServer scene;
    const std::string hostile = "\x1b]0;pwned\x07hi\nadmin: x";
    ASSERT_TRUE(scene.peer->send(client_frame(0x81, hostile, false) +
                                 client_frame(0x8A, "\x1b[2Jpong", false) +
                                 server_close(1000, "bye\x1b[2J\nroot: y")));
    EXPECT_EQ(scene.finish(), 1000) << "the client echoes the server's code";
    const auto out = scene.client->read_all_stdout(10s);
    ASSERT_TRUE(out) << "ws_client did not end; stderr: " << scene.client->stderr_text();
    EXPECT_EQ(out->find('\x1b'), std::string::npos) << "an ESC reached the terminal: " << *out;
    EXPECT_EQ(out->find('\x07'), std::string::npos) << "a BEL reached the terminal: " << *out;
    EXPECT_FALSE(has_forged_line(*out, "admin:")) << "a peer forged a line: " << *out;
    EXPECT_FALSE(has_forged_line(*out, "root:")) << "a close reason forged a line: " << *out;
    EXPECT_NE(out->find("\\e]0;pwned\\x07hi\\nadmin: x\n"), std::string::npos)
        << "the text is shown escaped, on one line: " << *out;
    EXPECT_NE(out->find("[pong] \\e[2Jpong\n"), std::string::npos) << *out;
    EXPECT_NE(out->find("[close 1000 bye\\e[2J\\nroot: y]\n"), std::string::npos) << *out;
    const auto status = scene.client->wait_exit(10s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << scene.client->stderr_text();
}

GRADED_TEST(Lab09OurClient, ServerCloseReportingAFailureFailsTheRun, 1) {
    {
        SCOPED_TRACE("the server closes with 1002: exit 1, its code and escaped reason on stderr");
        ScriptedServer scene;
        ASSERT_TRUE(scene.peer->send(server_close(1002, "you \x1b[31mbroke\nit")));
        EXPECT_EQ(scene.finish(), 1002);
        const auto status = scene.client->wait_exit(10s);
        const std::string err = scene.client->stderr_text();
        EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << err;
        EXPECT_NE(err.find("1002"), std::string::npos) << err;
        EXPECT_NE(err.find("you \\e[31mbroke\\nit"), std::string::npos) << "the reason, escaped: " << err;
        EXPECT_EQ(err.find('\x1b'), std::string::npos) << err;
    }
    {
        SCOPED_TRACE("we close with 1008 and the server echoes it: that is no failure, exit 0");
        ScriptedServer scene({"--close-code", "1008"});
        scene.client->close_stdin();
        const auto ours = scene.peer->read_frame();
        ASSERT_TRUE(ours) << scene.client->stderr_text();
        EXPECT_EQ(ours->opcode(), 0x8);
        EXPECT_EQ(ours->close_code(), 1008);
        ASSERT_TRUE(scene.peer->send(server_close(1008, "")));
        ::shutdown(scene.peer->get(), SHUT_WR);
        const auto status = scene.client->wait_exit(10s);
        EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << scene.client->stderr_text();
    }
}

REFERENCE_TEST(Lab09OurClient, ResetAfterBothClosesIsAnOrderlyEnd) {
    ScriptedServer scene;
    ASSERT_TRUE(scene.peer->send(server_close(1001, "going away")));
    EXPECT_EQ(scene.peer->read_close_code(), 1001) << "the client echoes the server's code";
    {
        SCOPED_TRACE("the server resets instead of closing with a FIN, as a server may once Closes crossed");
        const linger abort_on_close{1, 0};
        ASSERT_EQ(
            ::setsockopt(scene.peer->get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close),
            0);
        scene.peer.reset();
    }
    const auto status = scene.client->wait_exit(10s);
    EXPECT_EQ(status, 0) << "both Close frames were exchanged: the connection ended cleanly; "
                         << describe_exit(status) << "; stderr: " << scene.client->stderr_text();
}

}  // namespace
}  // namespace netlab::testing::lab09
