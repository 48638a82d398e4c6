// Lab 01, tcp_echo_client end to end: against the real server, against a closed port, and
// against a test-side server that ends the stream early. Exit status 0 means "all went right".

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bytes.hpp"
#include "common/check.hpp"
#include "common/endpoint.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// A fresh directory under the test's temporary directory, removed with its files at the end.
class ScratchDirectory {
public:
    ScratchDirectory() {
        std::string pattern = ::testing::TempDir() + "netlab_lab01_XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw_errno("mkdtemp");
        }
        path_ = pattern;
    }
    ~ScratchDirectory() { std::system(("rm -rf '" + path_ + "'").c_str()); }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_file(const std::string& path) {
    std::ostringstream out;
    out << std::ifstream(path, std::ios::binary).rdbuf();
    return out.str();
}

std::string connect_arg(const HostPort& endpoint) {
    return format_host_port(endpoint);
}

GRADED_TEST(Lab01Client, EchoesStdinToStdout, 3) {
    EchoServerProcess server;
    for (const std::string& text : {std::string("hello\nworld\n"), std::string()}) {
        SCOPED_TRACE("echo '" + text + "' through tcp_echo_client (stdin to stdout)");
        ChildProcess client("tcp_echo_client", {"--connect", connect_arg(server.endpoint)});
        client.write_stdin(text);
        client.close_stdin();
        const auto out = client.read_all_stdout(10s);
        const auto status = client.wait_exit(10s);
        EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << client.stderr_text();
        ASSERT_TRUE(out.has_value()) << "the client did not close stdout within 10 s";
        EXPECT_BYTES_EQ(text, *out);
    }
}

GRADED_TEST(Lab01Client, EchoesAnEightMiBFileIntoAFile, 3) {
    EchoServerProcess server(listen_args("::1"));
    const ScratchDirectory scratch;
    const std::string payload = random_bytes(8 * 1024 * 1024, 11);
    write_file(scratch.file("in.bin"), payload);
    SCOPED_TRACE(
        "tcp_echo_client --file in.bin --output out.bin over ::1 (needs sending and receiving at once)");
    ChildProcess client("tcp_echo_client", {"--connect", connect_arg(server.endpoint), "--file",
                                            scratch.file("in.bin"), "--output", scratch.file("out.bin")});
    client.close_stdin();
    const auto status = client.wait_exit(30s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << client.stderr_text();
    EXPECT_BYTES_EQ(payload, read_file(scratch.file("out.bin")));
}

GRADED_TEST(Lab01Client, ReportsConnectionRefused, 2) {
    const UniqueFd reserved = bound_but_not_listening();
    const std::string target = "127.0.0.1:" + std::to_string(bound_port(reserved.get()));
    SCOPED_TRACE("tcp_echo_client --connect " + target + " with nobody listening");
    ChildProcess client("tcp_echo_client", {"--connect", target});
    client.close_stdin();
    const auto status = client.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status);
    EXPECT_NE(client.stderr_text().find("Connection refused"), std::string::npos)
        << "stderr: " << client.stderr_text();
}

GRADED_TEST(Lab01Client, FailsWhenTheServerEndsEarly, 2) {
    const UniqueFd listener = listen_loopback(AF_INET);
    ChildProcess client("tcp_echo_client",
                        {"--connect", "127.0.0.1:" + std::to_string(bound_port(listener.get()))});
    SCOPED_TRACE("a server that reads 'partial\\n' and closes, while the client's stdin is still open");
    client.write_stdin("partial\n");
    UniqueFd accepted;
    wait_until([&] { return (accepted = accept_within(listener.get(), 20ms)) || client.wait_exit(0ms); },
               10s);
    ASSERT_TRUE(accepted) << "the client did not connect within 10 s; "
                          << describe_exit(client.wait_exit(0ms)) << "; stderr: " << client.stderr_text();
    ASSERT_EQ(read_exactly(accepted.get(), 8, 10s), "partial\n");
    accepted.reset();
    const auto status = client.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status)
                         << " (the client must not wait for more input, nor report success)";
    EXPECT_NE(client.stderr_text().find("before all input was sent"), std::string::npos)
        << "stderr: " << client.stderr_text();
}

REFERENCE_TEST(Lab01Client, GivesUpWhenTheServerNeverSendsItsFin) {
    const UniqueFd listener = listen_loopback(AF_INET);
    ChildProcess client(
        "tcp_echo_client",
        {"--connect", "127.0.0.1:" + std::to_string(bound_port(listener.get())), "--timeout", "1"});
    client.write_stdin("hello\n");
    client.close_stdin();
    UniqueFd accepted;
    wait_until([&] { return (accepted = accept_within(listener.get(), 20ms)) || client.wait_exit(0ms); },
               10s);
    ASSERT_TRUE(accepted) << "the client did not connect; stderr: " << client.stderr_text();
    SCOPED_TRACE("a server that echoes 'hello\n', reads the client's FIN, and then never sends its own");
    ASSERT_EQ(read_to_eof(accepted.get(), 10s), "hello\n");
    ASSERT_TRUE(send_within(accepted.get(), "hello\n", 5s));
    const auto start = Clock::now();
    const auto status = client.wait_exit(10s);
    const auto took = Clock::now() - start;
    EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << client.stderr_text();
    EXPECT_NE(client.stderr_text().find("no progress for 1 s"), std::string::npos)
        << "stderr: " << client.stderr_text();
    EXPECT_GE(took, 900ms);
    EXPECT_EQ(client.read_all_stdout(5s), "hello\n") << "the echo that did come is written";
}

REFERENCE_TEST(Lab01Client, GivesUpWhenTheServerStopsReading) {
    const UniqueFd listener = listen_loopback(AF_INET);
    set_buffer_sizes(listener.get(), 4096, 4096);  // the accepted socket inherits a small window
    const ScratchDirectory scratch;
    write_file(scratch.file("in.bin"), random_bytes(16 * 1024 * 1024, 5));
    SCOPED_TRACE("a server that accepts and never reads while the client sends 16 MiB, with --timeout 1");
    ChildProcess client("tcp_echo_client",
                        {"--connect", "127.0.0.1:" + std::to_string(bound_port(listener.get())), "--file",
                         scratch.file("in.bin"), "--output", scratch.file("out.bin"), "--timeout", "1"});
    client.close_stdin();
    UniqueFd accepted;
    wait_until([&] { return (accepted = accept_within(listener.get(), 20ms)) || client.wait_exit(0ms); },
               10s);
    ASSERT_TRUE(accepted) << "the client did not connect; stderr: " << client.stderr_text();
    const auto status = client.wait_exit(20s);
    EXPECT_EQ(status, 1) << describe_exit(status) << "; stderr: " << client.stderr_text();
    EXPECT_NE(client.stderr_text().find("no progress for 1 s: the server is not reading"), std::string::npos)
        << "stderr: " << client.stderr_text();
}

}  // namespace
}  // namespace netlab::testing
