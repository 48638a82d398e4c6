// Lab 06, qt_echo_client against test-side servers that misbehave on purpose: one resets after
// half the echo, one echoes half and ends cleanly, one never answers, one never reads. Each must
// end the client with exit status 1 and a message that says what happened, never with 0 or a hang.

#include <chrono>
#include <csignal>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "bytes.hpp"
#include "child_process.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kPayload = 100000;

/// qt_echo_client's arguments for the test-side listener, plus extra ones.
std::vector<std::string> client_args(int listener, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--connect", "127.0.0.1:" + std::to_string(bound_port(listener))};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// Sends kPayload bytes through client, reads them all and the client's FIN on peer, and sends
/// back only the first half. Returns "" or what went wrong.
std::string echo_half(ChildProcess& client, int peer) {
    const std::string payload = random_bytes(kPayload, 63);
    client.write_stdin(payload);
    client.close_stdin();
    const auto got = read_to_eof(peer, 10s);
    if (!got || *got != payload) {
        return "the server did not receive the payload and a FIN within 10 s";
    }
    return send_within(peer, got->substr(0, kPayload / 2), 10s) ? "" : "could not echo half";
}

/// Expects client to exit with status 1 within timeout, its stderr holding expected.
void expect_failure(ChildProcess& client, const std::string& expected, std::chrono::milliseconds timeout) {
    const auto status = client.wait_exit(timeout);
    EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << client.stderr_text();
    EXPECT_NE(client.stderr_text().find(expected), std::string::npos)
        << "expected '" << expected << "' in stderr: " << client.stderr_text();
}

REFERENCE_TEST(Lab06EchoClient, ResetAfterHalfTheEchoIsAnError) {
    const UniqueFd listener = listen_loopback();
    ChildProcess client("qt_echo_client", client_args(listener.get()));
    UniqueFd peer = accept_within(listener.get(), 10s);
    ASSERT_TRUE(peer) << "qt_echo_client did not connect; stderr: " << client.stderr_text();
    SCOPED_TRACE("100,000 bytes in, 50,000 echoed, then a reset (SO_LINGER 0): exit 1, 'reset'");
    ASSERT_EQ(echo_half(client, peer.get()), "");
    reset_connection(std::move(peer));
    expect_failure(client, "reset", 10s);
    EXPECT_NE(client.stderr_text().find("50000 of 100000"), std::string::npos) << client.stderr_text();
}

REFERENCE_TEST(Lab06EchoClient, ShortEchoThenFinIsAnError) {
    const UniqueFd listener = listen_loopback();
    ChildProcess client("qt_echo_client", client_args(listener.get()));
    UniqueFd peer = accept_within(listener.get(), 10s);
    ASSERT_TRUE(peer) << "qt_echo_client did not connect; stderr: " << client.stderr_text();
    SCOPED_TRACE("100,000 bytes in, 50,000 echoed, then a clean FIN: still exit 1, with the count");
    ASSERT_EQ(echo_half(client, peer.get()), "");
    peer.reset();
    expect_failure(client, "50000 of 100000", 10s);
}

REFERENCE_TEST(Lab06EchoClient, SilentServerHitsTheProgressTimeout) {
    const UniqueFd listener = listen_loopback();
    ChildProcess client("qt_echo_client", client_args(listener.get(), {"--timeout", "1"}));
    const UniqueFd peer = accept_within(listener.get(), 10s);
    ASSERT_TRUE(peer) << "qt_echo_client did not connect; stderr: " << client.stderr_text();
    SCOPED_TRACE("the server reads the bytes and our FIN, then never answers: exit 1 after about 1 s");
    const auto start = std::chrono::steady_clock::now();
    client.write_stdin("hello\n");
    client.close_stdin();
    ASSERT_TRUE(read_to_eof(peer.get(), 10s).has_value()) << "no FIN from qt_echo_client";
    expect_failure(client, "no progress for 1 s: the server echoed 0 of 6 bytes", 10s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
}

REFERENCE_TEST(Lab06EchoClient, ServerThatNeverReadsHitsTheProgressTimeout) {
    const std::string input(32u << 20, 'x');  // far more than every buffer on the way holds
    const UniqueFd listener = listen_loopback();
    set_buffer_sizes(listener.get(), 4096, 4096);  // the accepted socket inherits a small window
    ChildProcess client("qt_echo_client", client_args(listener.get(), {"--timeout", "1"}));
    const UniqueFd peer = accept_within(listener.get(), 10s);
    ASSERT_TRUE(peer) << "qt_echo_client did not connect; stderr: " << client.stderr_text();
    SCOPED_TRACE("32 MiB of standard input, and a server that never reads");
    const auto start = std::chrono::steady_clock::now();
    std::thread feeder([&client, &input] {
        try {
            client.write_stdin(input);  // blocks once every buffer on the way is full
        } catch (const std::system_error&) {
            // EPIPE: the client exited, which is what this test waits for
        }
    });
    // 1 s once the buffers are full; filling them takes a while on a loaded machine
    expect_failure(client, "no progress for 1 s: the server is not reading what we send", 20s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
    if (!client.wait_exit(0ms)) {
        client.send_signal(SIGKILL);  // ends the feeder's blocked write
    }
    feeder.join();
}

}  // namespace
}  // namespace netlab::testing
