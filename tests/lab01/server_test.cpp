// Lab 01, tcp_echo_server end to end: the real program as a child process, driven by the
// test's own sockets. Every wait has a deadline, so a broken server fails fast.

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <latch>
#include <mutex>
#include <regex>
#include <thread>

#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab01_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// Sends random bytes without reading any echo until the socket stays unwritable for 200 ms
/// (both directions are backed up and the server is blocked sending to us) or 64 MiB went out.
void back_up(int fd) {
    const std::string chunk = random_bytes(64 * 1024, 5);
    for (int i = 0; i < 1024; ++i) {
        pollfd entry{fd, POLLOUT, 0};
        if (::poll(&entry, 1, 200) <= 0 || (entry.revents & POLLOUT) == 0) {
            return;
        }
        if (::send(fd, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
            return;
        }
    }
}

/// Sends text and reads the same number of bytes back; "" when they came back, else what went wrong.
std::string round_trip(int fd, const std::string& text) {
    if (!send_within(fd, text, 5s)) {
        return "could not send '" + text + "'";
    }
    const auto reply = read_exactly(fd, text.size(), 10s);
    if (reply != text) {
        return "sent '" + text + "', " + (reply ? "got '" + *reply + "'" : "no full echo within 10 s");
    }
    return "";
}

GRADED_TEST(Lab01Server, FirstLineIsListeningOn, 2) {
    ChildProcess server("tcp_echo_server", listen_args());
    const auto line = server.read_line(10s);
    ASSERT_TRUE(line) << "no first line within 10 s; " << describe_exit(server.wait_exit(0ms))
                      << "; stderr: " << server.stderr_text();
    std::smatch match;
    ASSERT_TRUE(std::regex_match(*line, match, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)")))
        << "the first line must be exactly 'listening on 127.0.0.1:PORT', got '" << *line << "'";
    const int port = std::stoi(match[1]);
    ASSERT_GT(port, 0) << "port 0 must be reported as the port the kernel chose";
    ASSERT_LT(port, 65536);
    const UniqueFd client = connect_to("127.0.0.1", static_cast<std::uint16_t>(port));
    EXPECT_EQ(round_trip(client.get(), "hi"), "") << "stderr: " << server.stderr_text();
}

GRADED_TEST(Lab01Server, EchoesEightMiBInTinyPieces, 6) {
    EchoServerProcess server;
    const UniqueFd client = server.connect();
    const int tiny = 4096;
    check_syscall("setsockopt", ::setsockopt(client.get(), SOL_SOCKET, SO_SNDBUF, &tiny, sizeof tiny));
    const std::string payload = random_bytes(8 * 1024 * 1024, 8);
    SCOPED_TRACE(
        "8 MiB sent in pieces of 1 to 4181 bytes through a 4 KiB SO_SNDBUF, read back 1 to 4096 bytes at a "
        "time");
    ExchangeOptions options;
    options.send_sizes = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181};
    options.read_sizes = {1, 3, 7, 16, 100, 512, 1000, 1460, 4096};
    options.timeout = 40s;
    const ExchangeResult result = exchange(client.get(), payload, options);
    EXPECT_TRUE(result.eof && result.sent_all)
        << result.summary(payload.size()) << "\nserver stderr: " << server.process.stderr_text();
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab01Server, ServesFiftyClientsAtOnce, 5) {
    constexpr int kClients = 50;
    EchoServerProcess server;
    std::latch connected(kClients);
    std::latch greeted(kClients);
    std::mutex mutex;
    std::vector<std::string> failures;
    const auto fail = [&](int id, const std::string& what) {
        const std::lock_guard lock(mutex);
        failures.push_back("client " + std::to_string(id) + ": " + what);
    };
    std::vector<std::thread> clients;
    for (int id = 0; id < kClients; ++id) {
        clients.emplace_back([&, id] {
            UniqueFd fd;
            try {
                fd = server.connect();
            } catch (const std::exception& error) {
                fail(id, error.what());
            }
            connected.arrive_and_wait();  // all 50 connected before anyone talks
            std::string problem =
                fd ? round_trip(fd.get(), "hello from client " + std::to_string(id) + "\n") : "";
            if (!problem.empty()) {
                fail(id, problem);
                fd.reset();
            }
            greeted.arrive_and_wait();  // all 50 served at the same time before anyone leaves
            if (!fd) {
                return;
            }
            const std::string payload = random_bytes(32 * 1024, static_cast<std::uint32_t>(1000 + id));
            const ExchangeResult result = exchange(fd.get(), payload);
            if (!result.eof || result.received != payload) {
                fail(id, result.summary(payload.size()) +
                             (result.received == payload.substr(0, result.received.size())
                                  ? ""
                                  : "; the bytes differ (another client's?)"));
            }
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    SCOPED_TRACE(
        "50 clients connect, each is echoed while all 50 are connected, then each sends 32 KiB of its own");
    for (const auto& failure : failures) {
        ADD_FAILURE() << failure;
    }
    EXPECT_TRUE(failures.empty()) << failures.size() << " of " << kClients
                                  << " clients failed; server stderr: " << server.process.stderr_text();
}

GRADED_TEST(Lab01Server, Ipv6LoopbackEndToEnd, 4) {
    EchoServerProcess server(listen_args("::1"));
    {
        SCOPED_TRACE("--listen [::1]:0 announces an IPv6 address");
        EXPECT_EQ(server.endpoint.host, "::1");
    }
    SCOPED_TRACE("1 MiB echoed over ::1");
    const UniqueFd client = server.connect();
    const std::string payload = random_bytes(1024 * 1024, 6);
    const ExchangeResult result = exchange(client.get(), payload);
    EXPECT_TRUE(result.eof) << result.summary(payload.size());
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab01Server, SurvivesAPeerThatResetsMidTransfer, 4) {
    EchoServerProcess server;
    std::uint16_t rude_port = 0;
    {
        SCOPED_TRACE("a client sends until the echo backs up, never reading it, then resets (SO_LINGER 0)");
        UniqueFd rude = server.connect();
        rude_port = bound_port(rude.get());
        ASSERT_EQ(round_trip(rude.get(), "first"), "") << "server stderr: " << server.process.stderr_text();
        back_up(rude.get());
        reset_connection(std::move(rude));
    }
    {
        SCOPED_TRACE("the server logs that connection's failure in one stderr line naming the peer");
        const bool logged =
            wait_until([&] { return server.process.stderr_text().find('\n') != std::string::npos; }, 10s);
        const std::string err = server.process.stderr_text();
        EXPECT_TRUE(logged) << "nothing on stderr within 10 s";
        EXPECT_NE(err.find(":" + std::to_string(rude_port)), std::string::npos)
            << "the line should name the peer 127.0.0.1:" << rude_port << "; stderr: " << err;
    }
    {
        SCOPED_TRACE("and keeps serving: another client gets 256 KiB echoed");
        const UniqueFd polite = server.connect();
        const std::string payload = random_bytes(256 * 1024, 9);
        const ExchangeResult result = exchange(polite.get(), payload);
        EXPECT_TRUE(result.eof) << result.summary(payload.size());
        EXPECT_BYTES_EQ(payload, result.received);
    }
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value()) << "the server exited";
    const std::string err = server.process.stderr_text();
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "expected exactly one line on stderr, got:\n"
                                                           << err;
}

GRADED_TEST(Lab01Server, HalfCloseStillGetsTheWholeEcho, 4) {
    EchoServerProcess server;
    {
        SCOPED_TRACE("a client that half-closes at once gets EOF and nothing else");
        const UniqueFd client = server.connect();
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        EXPECT_EQ(read_to_eof(client.get(), 10s), std::string()) << "expected EOF with no data within 10 s";
    }
    SCOPED_TRACE("4 MiB sent and half-closed while the echo still flows back: all of it arrives, then EOF");
    const UniqueFd client = server.connect();
    const std::string payload = random_bytes(4 * 1024 * 1024, 4);
    const ExchangeResult result = exchange(client.get(), payload);
    EXPECT_TRUE(result.sent_all && result.eof) << result.summary(payload.size());
    EXPECT_BYTES_EQ(payload, result.received);
    EXPECT_EQ(result.problem, "") << "the stream must end with FIN (EOF), not with an error";
}

/// Starts a server with two clients connected, one idle and one whose echo is backed up (the
/// server is blocked sending to it); then sends signal_number and expects exit status 0.
void expect_clean_exit_on(int signal_number) {
    EchoServerProcess server;
    const UniqueFd idle = server.connect();
    ASSERT_EQ(round_trip(idle.get(), "still here"), "") << "server stderr: " << server.process.stderr_text();
    const UniqueFd busy = server.connect();
    ASSERT_EQ(round_trip(busy.get(), "busy"), "");
    back_up(busy.get());
    SCOPED_TRACE(std::string("send ") + strsignal(signal_number) + " with two clients connected");
    server.process.send_signal(signal_number);
    const auto status = server.process.wait_exit(10s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.process.stderr_text();
    EXPECT_EQ(read_to_eof(idle.get(), 5s), std::string())
        << "the idle client should see the connection end (EOF)";
    EXPECT_EQ(server.process.stderr_text().find("error"), std::string::npos) << server.process.stderr_text();
}

GRADED_TEST(Lab01Server, SigintExitsZeroWithClientsConnected, 2) {
    expect_clean_exit_on(SIGINT);
}

GRADED_TEST(Lab01Server, SigtermExitsZeroWithClientsConnected, 2) {
    expect_clean_exit_on(SIGTERM);
}

GRADED_TEST(Lab01Server, QueuesClientsBeyondMaxClients, 3) {
    EchoServerProcess server(listen_args("127.0.0.1", {"--max-clients", "2"}));
    UniqueFd first = server.connect();
    const UniqueFd second = server.connect();
    ASSERT_EQ(round_trip(first.get(), "one"), "");
    ASSERT_EQ(round_trip(second.get(), "two"), "");
    SCOPED_TRACE("with --max-clients 2 and two clients connected, a third connects but waits");
    const UniqueFd third = server.connect();
    ASSERT_TRUE(send_within(third.get(), "three", 5s));
    pollfd entry{third.get(), POLLIN, 0};
    EXPECT_EQ(::poll(&entry, 1, 300), 0) << "the third client was served while two others were connected";
    SCOPED_TRACE("the first client leaves; the third is served");
    ASSERT_EQ(::shutdown(first.get(), SHUT_WR), 0);
    EXPECT_EQ(read_to_eof(first.get(), 5s), std::string());
    first.reset();
    EXPECT_EQ(read_exactly(third.get(), 5, 10s), "three")
        << "server stderr: " << server.process.stderr_text();
    EXPECT_EQ(round_trip(second.get(), "still two"), "");
}

#if defined(__SANITIZE_ADDRESS__)
// A sanitized server needs descriptors for the sanitizer too (UBSan checks a vtable by writing it
// into a pipe), so starving it only produces false reports: the asan build keeps the normal limit.
constexpr bool kStarveDescriptors = false;
#else
constexpr bool kStarveDescriptors = true;
#endif

GRADED_TEST(Lab01Server, SurvivesRunningOutOfDescriptors, 2) {
    // The child inherits a soft limit of 16 descriptors: about 10 connections, then accept() fails
    // with EMFILE while more clients wait. Our own limit is restored right after the spawn.
    rlimit original{};
    check_syscall("getrlimit", ::getrlimit(RLIMIT_NOFILE, &original));
    rlimit low = original;
    low.rlim_cur = kStarveDescriptors ? 16 : original.rlim_cur;
    check_syscall("setrlimit", ::setrlimit(RLIMIT_NOFILE, &low));
    std::optional<EchoServerProcess> server;
    try {
        server.emplace();
    } catch (...) {
        ::setrlimit(RLIMIT_NOFILE, &original);
        throw;
    }
    check_syscall("setrlimit", ::setrlimit(RLIMIT_NOFILE, &original));

    constexpr int kClients = 24;
    std::vector<UniqueFd> clients;
    {
        SCOPED_TRACE("24 clients connect and send, holding their connections open");
        for (int id = 0; id < kClients; ++id) {
            clients.push_back(server->connect());
            ASSERT_TRUE(send_within(clients.back().get(), "client " + std::to_string(id), 5s));
        }
        const auto logged_emfile = [&] {
            return server->process.stderr_text().find("Too many open files") != std::string::npos;
        };
        const bool logged = !kStarveDescriptors || wait_until(logged_emfile, 10s);
        EXPECT_TRUE(logged) << "expected the server to log accept's EMFILE within 10 s; stderr: "
                            << server->process.stderr_text();
    }
    SCOPED_TRACE(
        "each client half-closes; as connections end, descriptors free up and every client is served");
    for (auto& client : clients) {
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    }
    const auto deadline = Clock::now() + 15s;  // for all of them: a dead server fails fast
    for (int id = 0; id < kClients; ++id) {
        const auto echoed = read_to_eof(clients[static_cast<std::size_t>(id)].get(),
                                        std::chrono::milliseconds(millis_left(deadline)));
        EXPECT_EQ(echoed, "client " + std::to_string(id))
            << "server stderr: " << server->process.stderr_text();
    }
    EXPECT_FALSE(server->process.wait_exit(0ms).has_value())
        << "the server exited: " << server->process.stderr_text();
}

}  // namespace
}  // namespace netlab::testing
