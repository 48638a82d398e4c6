// Lab 02, the programs: udp_echo_server and udp_echo_client run as child processes, the way a
// learner runs them from a shell, against sockets the test makes itself; and rr_server with
// rr_client. Each checks the command-line contract, the bytes on the wire and the exit status.

#include <signal.h>

#include <string>
#include <vector>

#include "bytes.hpp"
#include "child_process.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab02_helpers.hpp"
#include "test_socket.hpp"

namespace {

using namespace netlab;
using namespace netlab::testing;
using namespace std::chrono_literals;

/// Runs program with args to completion (stdin closed at once); its exit code, stdout, stderr.
struct Finished {
    std::optional<int> exit_code;
    std::string out;
    std::string err;
};

Finished run_program(const std::string& program, const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = 10s) {
    ChildProcess child(program, args);
    child.close_stdin();
    Finished run;
    run.out = child.read_all_stdout(timeout).value_or("(stdout still open after the timeout)");
    run.exit_code = child.wait_exit(timeout);
    run.err = child.stderr_text();
    return run;
}

/// Sends data on a connected test socket and returns the one datagram that comes back (or nullopt).
std::optional<std::string> round_trip(int fd, const std::string& data,
                                      std::chrono::milliseconds timeout = 2s) {
    if (::send(fd, data.data(), data.size(), 0) != static_cast<ssize_t>(data.size())) {
        return std::nullopt;
    }
    auto reply = receive_within(fd, timeout);
    return reply ? std::optional(reply->bytes) : std::nullopt;
}

std::string endpoint_text(std::uint16_t port, int family = AF_INET) {
    return format_host_port(HostPort{loopback(family), port});
}

}  // namespace

GRADED_TEST(Lab02EchoServer, ProgramContract, 2) {
    for (const std::string program : {"udp_echo_server", "udp_echo_client", "rr_server", "rr_client"}) {
        SCOPED_TRACE(program + " --help: usage on stdout, exit 0");
        const Finished help = run_program(program, {"--help"});
        EXPECT_EQ(help.exit_code, 0) << help.err;
        EXPECT_NE(help.out.find("usage:"), std::string::npos) << "stdout: " << help.out;
    }
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"--listen", "nonsense"},
                                               {"--listen", "127.0.0.1:70000"},
                                               {"--bogus"},
                                               {"--max-datagram", "0"},
                                               {"--max-datagram", "65536"},
                                               {"extra"}}) {
        SCOPED_TRACE("udp_echo_server " + args[0] + (args.size() > 1 ? " " + args[1] : "") +
                     ": error and usage on stderr, exit 2");
        const Finished bad = run_program("udp_echo_server", args);
        EXPECT_EQ(bad.exit_code, 2) << "stderr: " << bad.err;
        EXPECT_NE(bad.err.find("usage:"), std::string::npos) << "stderr: " << bad.err;
        EXPECT_EQ(bad.out, "") << "nothing on stdout for a usage error";
    }
}

GRADED_TEST(Lab02EchoServer, EchoesEachDatagramWhole, 4) {
    ChildProcess server("udp_echo_server", {"--listen", "127.0.0.1:0"});
    const HostPort listening = server.wait_listening();
    EXPECT_EQ(listening.host, "127.0.0.1");
    ASSERT_NE(listening.port, 0) << "the first line must show the port the kernel picked";
    const UniqueFd client = connect_to("127.0.0.1", listening.port, SOCK_DGRAM);
    for (const std::size_t size : {0u, 1u, 1400u, 60000u, 65507u}) {
        SCOPED_TRACE("a datagram of " + std::to_string(size) + " bytes comes back whole, as one datagram");
        const std::string data = random_bytes(size, static_cast<std::uint32_t>(size));
        const auto reply = round_trip(client.get(), data);
        ASSERT_TRUE(reply) << "no echo within 2 s; server stderr: " << server.stderr_text();
        EXPECT_BYTES_EQ(data, *reply);
    }
}

GRADED_TEST(Lab02EchoServer, ServesSeveralClientsAtOnce, 3) {
    ChildProcess server("udp_echo_server", {"--listen", "127.0.0.1:0"});
    const HostPort listening = server.wait_listening();
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(connect_to("127.0.0.1", listening.port, SOCK_DGRAM));
    }
    for (int round = 0; round < 10; ++round) {
        SCOPED_TRACE("round " + std::to_string(round) + ": 8 clients send, then each reads its own echo");
        for (std::size_t i = 0; i < clients.size(); ++i) {
            const std::string text = "client " + std::to_string(i) + " round " + std::to_string(round);
            ASSERT_EQ(::send(clients[i].get(), text.data(), text.size(), 0),
                      static_cast<ssize_t>(text.size()));
        }
        for (std::size_t i = 0; i < clients.size(); ++i) {
            const auto reply = receive_within(clients[i].get(), 2s);
            ASSERT_TRUE(reply) << "client " << i << " got no echo within 2 s";
            EXPECT_EQ(reply->bytes, "client " + std::to_string(i) + " round " + std::to_string(round))
                << "each echo goes back to its own sender";
        }
    }
}

GRADED_TEST(Lab02EchoServer, ServesIPv6, 2) {
    ChildProcess server("udp_echo_server", {"--listen", "[::1]:0"});
    const HostPort listening = server.wait_listening();
    EXPECT_EQ(listening.host, "::1") << "the first line shows the IPv6 address, in brackets";
    const UniqueFd client = connect_to("::1", listening.port, SOCK_DGRAM);
    const auto reply = round_trip(client.get(), "over IPv6");
    ASSERT_TRUE(reply) << "no echo within 2 s; server stderr: " << server.stderr_text();
    EXPECT_EQ(*reply, "over IPv6");
}

GRADED_TEST(Lab02EchoServer, SurvivesBadPeers, 3) {
    ChildProcess server("udp_echo_server", {"--listen", "127.0.0.1:0", "--max-datagram", "100"});
    const HostPort listening = server.wait_listening();
    const UniqueFd client = connect_to("127.0.0.1", listening.port, SOCK_DGRAM);

    SCOPED_TRACE("--max-datagram 100: a 2000-byte datagram is reported on stderr and not echoed cut");
    const std::string big = random_bytes(2000);
    ASSERT_EQ(::send(client.get(), big.data(), big.size(), 0), 2000);
    const auto next = round_trip(client.get(), "small one");
    ASSERT_TRUE(next) << "the server stopped serving after a truncated datagram; stderr: "
                      << server.stderr_text();
    EXPECT_EQ(*next, "small one")
        << "the first echo must be the small datagram: a cut datagram is not echoed";
    EXPECT_TRUE(wait_until([&] { return server.stderr_text().find("truncated") != std::string::npos; }, 2s))
        << "expected one stderr line that mentions 'truncated'; stderr: " << server.stderr_text();

    SCOPED_TRACE("exactly 100 bytes fit; 101 do not");
    const std::string hundred = random_bytes(100, 1);
    const auto whole = round_trip(client.get(), hundred);
    ASSERT_TRUE(whole) << "a 100-byte datagram fits a 100-byte buffer and must be echoed";
    EXPECT_BYTES_EQ(hundred, *whole);
    ASSERT_EQ(::send(client.get(), big.data(), 101, 0), 101);
    const auto after = round_trip(client.get(), "after 101");
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, "after 101");

    SCOPED_TRACE("clients that vanish before their echo (ICMP port unreachable) do not stop the server");
    for (int i = 0; i < 5; ++i) {
        UniqueFd gone = connect_to("127.0.0.1", listening.port, SOCK_DGRAM);
        ASSERT_EQ(::send(gone.get(), "bye", 3, 0), 3);
    }
    const auto still = round_trip(client.get(), "still there?");
    ASSERT_TRUE(still) << "the server stopped after replying to closed ports; stderr: "
                       << server.stderr_text();
    EXPECT_EQ(*still, "still there?");
    EXPECT_FALSE(server.wait_exit(0ms)) << "the server exited; stderr: " << server.stderr_text();
}

GRADED_TEST(Lab02EchoServer, StopsOnSigintAndSigterm, 2) {
    for (const int signal_number : {SIGINT, SIGTERM}) {
        SCOPED_TRACE(std::string("serve one datagram, then ") +
                     (signal_number == SIGINT ? "SIGINT" : "SIGTERM") + ": exit 0 within 5 s");
        ChildProcess server("udp_echo_server", {"--listen", "127.0.0.1:0"});
        const HostPort listening = server.wait_listening();
        const UniqueFd client = connect_to("127.0.0.1", listening.port, SOCK_DGRAM);
        ASSERT_EQ(round_trip(client.get(), "hi"), "hi") << "stderr: " << server.stderr_text();
        server.send_signal(signal_number);
        EXPECT_EQ(server.wait_exit(5s), 0) << "stderr: " << server.stderr_text();
    }
}

GRADED_TEST(Lab02EchoClient, PrintsEachReply, 2) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    const std::string target = endpoint_text(bound_port(fake.get()));
    auto echo_back = [&](int count) {
        for (int i = 0; i < count; ++i) {
            const auto request = receive_within(fake.get(), 5s);
            if (!request) {
                return false;
            }
            send_to(fake.get(), request->bytes, request->sender);
        }
        return true;
    };
    {
        SCOPED_TRACE("udp_echo_client --connect " + target + " one '' three: three datagrams, three lines");
        ChildProcess client("udp_echo_client", {"--connect", target, "one", "", "three"});
        ASSERT_TRUE(echo_back(3)) << "the client did not send three datagrams; stderr: "
                                  << client.stderr_text();
        EXPECT_EQ(client.read_all_stdout(5s), "one\n\nthree\n");
        EXPECT_EQ(client.wait_exit(5s), 0) << "stderr: " << client.stderr_text();
    }
    {
        SCOPED_TRACE("lines from stdin: each line is one datagram");
        ChildProcess client("udp_echo_client", {"--connect", target});
        client.write_stdin("alpha\nbeta\n");
        client.close_stdin();
        ASSERT_TRUE(echo_back(2)) << "the client did not send two datagrams; stderr: "
                                  << client.stderr_text();
        EXPECT_EQ(client.read_all_stdout(5s), "alpha\nbeta\n");
        EXPECT_EQ(client.wait_exit(5s), 0) << "stderr: " << client.stderr_text();
    }
}

GRADED_TEST(Lab02EchoClient, ReportsTimeout, 2) {
    const UniqueFd silent = listen_loopback(AF_INET, SOCK_DGRAM);
    const std::string target = endpoint_text(bound_port(silent.get()));
    SCOPED_TRACE("a server that never answers: --timeout 100 --retries 2 sends 3 times, then says 'timeout'");
    const auto start = Clock::now();
    const Finished run =
        run_program("udp_echo_client", {"--connect", target, "--timeout", "100", "--retries", "2", "hello"});
    const auto elapsed = Clock::now() - start;
    EXPECT_NE(run.exit_code.value_or(0), 0) << "a timeout must end in a non-zero exit";
    EXPECT_NE(run.err.find("timeout"), std::string::npos) << "stderr: " << run.err;
    EXPECT_NE(run.err.find(target), std::string::npos) << "name the server; stderr: " << run.err;
    EXPECT_GE(elapsed, 290ms) << "3 attempts of 100 ms each";
    EXPECT_LT(elapsed, 5s);
    int sends = 0;
    while (const auto datagram = receive_within(silent.get(), 0ms)) {
        EXPECT_EQ(datagram->bytes, "hello");
        ++sends;
    }
    EXPECT_EQ(sends, 3) << "one send plus two retries";
}

GRADED_TEST(Lab02EchoClient, ReportsRefused, 1) {
    std::uint16_t port = 0;
    {
        const UniqueFd closed = listen_loopback(AF_INET, SOCK_DGRAM);
        port = bound_port(closed.get());
    }
    const std::string target = endpoint_text(port);
    SCOPED_TRACE("nothing listens on " + target +
                 ": the ICMP error becomes a clear message, not a long wait");
    const Finished run = run_program("udp_echo_client", {"--connect", target, "--timeout", "5000", "hello"});
    EXPECT_NE(run.exit_code.value_or(0), 0);
    EXPECT_NE(run.err.find("no one is listening on " + target), std::string::npos) << "stderr: " << run.err;
}

GRADED_TEST(Lab02RrPrograms, AnswerEachRequestOnce, 1) {
    ChildProcess server("rr_server", {"--listen", "127.0.0.1:0"});
    const HostPort listening = server.wait_listening();
    const std::string target = endpoint_text(listening.port);
    SCOPED_TRACE("rr_client --connect " + target + " hello world");
    const Finished run = run_program("rr_client", {"--connect", target, "hello", "world"});
    EXPECT_EQ(run.exit_code, 0) << "stderr: " << run.err;
    EXPECT_EQ(run.out, "#1 HELLO\n#2 WORLD\n");

    SCOPED_TRACE("rr_server drops what is not a request: an echo client times out on it");
    const Finished echo =
        run_program("udp_echo_client", {"--connect", target, "--timeout", "100", "--retries", "0", "x"});
    EXPECT_NE(echo.err.find("timeout"), std::string::npos) << "stderr: " << echo.err;

    SCOPED_TRACE("SIGINT: exit 0 with a summary on stderr");
    server.send_signal(SIGINT);
    EXPECT_EQ(server.wait_exit(5s), 0) << "stderr: " << server.stderr_text();
    EXPECT_NE(server.stderr_text().find("ran 2 request(s)"), std::string::npos) << server.stderr_text();
}

REFERENCE_TEST(Lab02RrPrograms, NoReplyCountsTheInvalidOnes) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    const std::string target = endpoint_text(bound_port(fake.get()));
    SCOPED_TRACE(
        "a server that answers each of 3 attempts with garbage: 'no valid reply', 3 invalid ignored");
    ChildProcess client("rr_client", {"--connect", target, "--timeout", "100", "--attempts", "3", "hello"});
    client.close_stdin();
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto request = receive_within(fake.get(), 5s);
        ASSERT_TRUE(request) << "attempt " << attempt << " never came; stderr: " << client.stderr_text();
        send_to(fake.get(), "not a reply", request->sender);
    }
    const auto status = client.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status);
    EXPECT_NE(client.stderr_text().find("no valid reply"), std::string::npos) << client.stderr_text();
    EXPECT_NE(client.stderr_text().find("(3 invalid replies ignored)"), std::string::npos)
        << client.stderr_text();
}

REFERENCE_TEST(Lab02RrPrograms, OversizedMessageIsRefusedBeforeSending) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    const std::string target = endpoint_text(bound_port(fake.get()));
    {
        SCOPED_TRACE("rr_client with a MESSAGE of 1300 bytes: a usage error (exit 2), nothing sent");
        const Finished run = run_program("rr_client", {"--connect", target, "ok", std::string(1300, 'x')});
        EXPECT_EQ(run.exit_code, 2) << "stderr: " << run.err;
        EXPECT_NE(run.err.find("1200"), std::string::npos) << "name the limit; stderr: " << run.err;
        EXPECT_NE(run.err.find("usage:"), std::string::npos) << "stderr: " << run.err;
        EXPECT_FALSE(receive_within(fake.get(), 200ms)) << "a request went out before the check";
    }
    SCOPED_TRACE("a stdin line of 1300 bytes: an error naming the limit (exit 1), nothing sent");
    ChildProcess client("rr_client", {"--connect", target});
    client.write_stdin(std::string(1300, 'y') + "\n");
    client.close_stdin();
    const auto status = client.wait_exit(10s);
    EXPECT_EQ(status, 1) << describe_exit(status);
    EXPECT_NE(client.stderr_text().find("over the maximum of 1200"), std::string::npos)
        << client.stderr_text();
    EXPECT_FALSE(receive_within(fake.get(), 200ms)) << "the oversized line went out";
}
