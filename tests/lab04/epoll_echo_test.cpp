// Lab 04, epoll_echo_server end to end: the real program as a child process, driven by the test's
// own sockets. Slow readers, a thousand clients, a client that never reads, resets, half-close,
// the connection limit and running out of descriptors. Every wait has a deadline.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>

#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

/// An epoll_echo_server child on 127.0.0.1 port 0 (or the given host) with extra arguments.
struct EchoServer : ServerProcess {
    explicit EchoServer(std::vector<std::string> extra = {}, const std::string& host = "127.0.0.1")
        : ServerProcess("epoll_echo_server", listen_args(std::move(extra), host)) {}
    [[nodiscard]] pid_t pid() const { return process.pid(); }
};

/// One client's part in drive(): what it sends, whether it half-closes after, what it expects.
struct Conversation {
    std::string out;          ///< to send
    bool half_close = false;  ///< SHUT_WR once everything went out, then read to EOF
    std::size_t sent = 0;
    bool shut = false;
    std::string in;  ///< received so far
    bool eof = false;
    [[nodiscard]] bool done() const { return half_close ? eof : in.size() >= out.size(); }
};

/// Drives every conversation at once from one poll() loop: sends as the sockets take bytes, reads
/// whatever arrives. "" when each is done (all echoed; EOF too if half-closing), else what is missing.
std::string drive(const std::vector<UniqueFd>& sockets, std::vector<Conversation>& talks,
                  Clock::time_point deadline) {
    std::vector<pollfd> entries(sockets.size());
    std::vector<char> buffer(64 * 1024);
    for (;;) {
        std::size_t active = 0;
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            const Conversation& talk = talks[i];
            short events = talk.done() ? 0 : POLLIN;
            if (talk.sent < talk.out.size()) {
                events |= POLLOUT;
            }
            entries[i] = {events != 0 ? sockets[i].get() : -1, events, 0};
            active += events != 0 ? 1 : 0;
        }
        if (active == 0) {
            return "";
        }
        const int ready = ::poll(entries.data(), entries.size(), millis_left(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            std::size_t unfinished = 0;
            std::string example;
            for (std::size_t i = 0; i < talks.size(); ++i) {
                if (!talks[i].done()) {
                    if (unfinished++ == 0) {
                        example = "client " + std::to_string(i) + " sent " + std::to_string(talks[i].sent) +
                                  " of " + std::to_string(talks[i].out.size()) + " bytes and got " +
                                  std::to_string(talks[i].in.size()) + (talks[i].eof ? " then EOF" : "");
                    }
                }
            }
            return std::to_string(unfinished) + " of " + std::to_string(talks.size()) +
                   " clients were not done by the deadline, e.g. " + example;
        }
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            Conversation& talk = talks[i];
            const int fd = sockets[i].get();
            if ((entries[i].revents & POLLOUT) != 0) {
                const ssize_t n = ::send(fd, talk.out.data() + talk.sent, talk.out.size() - talk.sent,
                                         MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n < 0 && errno != EAGAIN && errno != EINTR) {
                    return "client " + std::to_string(i) + ": send: " + std::strerror(errno);
                }
                talk.sent += n > 0 ? static_cast<std::size_t>(n) : 0;
            }
            if (talk.half_close && !talk.shut && talk.sent == talk.out.size()) {
                check_syscall("shutdown", ::shutdown(fd, SHUT_WR));
                talk.shut = true;
            }
            if ((entries[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n < 0 && errno != EAGAIN && errno != EINTR) {
                    return "client " + std::to_string(i) + ": recv: " + std::strerror(errno);
                }
                if (n == 0) {
                    if (!talk.half_close || talk.in.size() < talk.out.size()) {
                        return "client " + std::to_string(i) + ": EOF after " +
                               std::to_string(talk.in.size()) + " of " + std::to_string(talk.out.size()) +
                               " bytes";
                    }
                    talk.eof = true;
                }
                talk.in.append(buffer.data(), static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
            }
        }
    }
}

/// The index of the first conversation whose echo differs from what it sent, or -1.
int first_wrong_echo(const std::vector<Conversation>& talks) {
    for (std::size_t i = 0; i < talks.size(); ++i) {
        if (talks[i].in != talks[i].out) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

GRADED_TEST(Lab04Epoll, AcceptsEveryWaitingClientUpToTheLimit, 3) {
    {
        EchoServer server;
        const int before = open_descriptors(server.pid());
        SCOPED_TRACE("40 clients connect one after the other and send nothing: the server accepts them all");
        std::vector<UniqueFd> clients;
        for (int i = 0; i < 40; ++i) {
            clients.push_back(server.connect());
        }
        EXPECT_TRUE(wait_until([&] { return open_descriptors(server.pid()) == before + 40; }, 5s))
            << "the server has " << open_descriptors(server.pid()) << " descriptors open, " << before
            << " before any client; stderr: " << server.log();
        EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
    }
    SCOPED_TRACE("with --max-connections 5, 8 clients connect: 5 are accepted, 3 wait in the backlog");
    EchoServer server({"--max-connections", "5"});
    const int before = open_descriptors(server.pid());
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(server.connect());
    }
    EXPECT_TRUE(wait_until([&] { return open_descriptors(server.pid()) == before + 5; }, 5s))
        << "the server has " << open_descriptors(server.pid()) << " descriptors open, " << before
        << " before any client; stderr: " << server.log();
    EXPECT_FALSE(wait_until([&] { return open_descriptors(server.pid()) > before + 5; }, 300ms))
        << "the server accepted more than --max-connections 5";
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, AnnouncesItsPortAndEchoes, 3) {
    {
        ChildProcess server("epoll_echo_server", listen_args());
        const auto line = server.read_line(10s);
        ASSERT_TRUE(line) << "no first line within 10 s; " << describe_exit(server.wait_exit(0ms))
                          << "; stderr: " << server.stderr_text();
        const std::string prefix = "listening on 127.0.0.1:";
        const auto port = line->starts_with(prefix) ? parse_port(line->substr(prefix.size())) : std::nullopt;
        ASSERT_TRUE(port && *port != 0)
            << "the first line must be exactly 'listening on 127.0.0.1:PORT' with the real port, got '"
            << *line << "'";
        SCOPED_TRACE("a round trip of 'hello' on that port");
        const UniqueFd client = connect_to("127.0.0.1", *port);
        EXPECT_EQ(round_trip(client.get(), "hello"), "") << "stderr: " << server.stderr_text();
    }
    SCOPED_TRACE("--listen [::1]:0: 1 MiB echoed over IPv6 loopback");
    EchoServer server({}, "::1");
    EXPECT_EQ(server.endpoint.host, "::1");
    const UniqueFd client = server.connect();
    const std::string payload = random_bytes(kMiB, 31);
    const ExchangeResult result = exchange(client.get(), payload);
    EXPECT_TRUE(result.eof && result.sent_all)
        << result.summary(payload.size()) << "; stderr: " << server.log();
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab04Epoll, SlowReaderGetsSixteenMiBInOrder, 10) {
    EchoServer server({"--max-buffer", "65536"});
    SCOPED_TRACE(
        "16 MiB sent in pieces of 7 B to 64 KiB to a client with an 8 KiB SO_RCVBUF and 1000-byte segments; "
        "it "
        "reads 1 B to 4 KiB at a time and, after every MiB, stops until its own sends are stuck, so every "
        "buffer "
        "on the way fills and the server meets EAGAIN, partial writes and its --max-buffer of 64 KiB");
    const UniqueFd client = connect_with_receive_buffer(server.endpoint, 8192, 1000);
    const std::string payload = random_bytes(16 * kMiB, 32);
    ExchangeOptions options;
    options.send_sizes = {65536, 1000, 7, 32768, 4096};
    options.read_sizes = {1, 13, 512, 4096, 1460, 100, 3000};
    options.pause_every = kMiB;
    options.timeout = 50s;
    const auto start = Clock::now();
    const ExchangeResult result = exchange(client.get(), payload, options);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::cout << "[   INFO   ] 16 MiB to a slow reader in " << took.count() << " ms" << std::endl;
    EXPECT_TRUE(result.eof && result.sent_all)
        << result.summary(payload.size()) << "; stderr: " << server.log();
    EXPECT_BYTES_EQ(payload, result.received);
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, ServesAThousandConnectionsAtOnce, 7) {
    constexpr std::size_t kClients = 1000;
    const rlim_t hard = DescriptorLimit::hard();
    ASSERT_GE(hard, 2 * kClients + 64)
        << "this test needs " << 2 * kClients + 64 << " descriptors (ulimit -Hn); the hard limit is " << hard;
    const DescriptorLimit raised(hard);  // the server inherits it; both sides need 1000 sockets
    EchoServer server({"--max-connections", std::to_string(kClients)});
    const pid_t pid = server.pid();
    const int descriptors_before = open_descriptors(pid);
    const auto start = Clock::now();
    std::vector<UniqueFd> sockets;
    {
        SCOPED_TRACE("1000 clients connect");
        for (std::size_t i = 0; i < kClients; ++i) {
            sockets.push_back(server.connect());
        }
    }
    std::vector<Conversation> talks(kClients);
    {
        SCOPED_TRACE(
            "all 1000 send 100 bytes of their own at once, and each gets exactly its own bytes back");
        for (std::size_t i = 0; i < kClients; ++i) {
            talks[i].out =
                "client " + std::to_string(i) + " " + random_bytes(90, static_cast<std::uint32_t>(i));
        }
        const std::string problem = drive(sockets, talks, Clock::now() + 30s);
        ASSERT_EQ(problem, "") << "server stderr: " << server.log();
        const int wrong = first_wrong_echo(talks);
        ASSERT_EQ(wrong, -1) << describe_difference(talks[static_cast<std::size_t>(std::max(wrong, 0))].out,
                                                    talks[static_cast<std::size_t>(std::max(wrong, 0))].in);
    }
    {
        SCOPED_TRACE("the server holds all 1000 connections at the same time");
        const int open = open_descriptors(pid);
        EXPECT_GE(open, descriptors_before + static_cast<int>(kClients))
            << "the server has " << open << " descriptors open (" << descriptors_before
            << " before any client)";
    }
    const auto first_round = Clock::now();
    {
        SCOPED_TRACE("then each sends 16 KiB more and half-closes: all of it comes back, then EOF");
        for (std::size_t i = 0; i < kClients; ++i) {
            talks[i].out += random_bytes(16 * 1024, static_cast<std::uint32_t>(5000 + i));
            talks[i].half_close = true;
        }
        const std::string problem = drive(sockets, talks, Clock::now() + 40s);
        ASSERT_EQ(problem, "") << "server stderr: " << server.log();
        const int wrong = first_wrong_echo(talks);
        ASSERT_EQ(wrong, -1) << describe_difference(talks[static_cast<std::size_t>(std::max(wrong, 0))].out,
                                                    talks[static_cast<std::size_t>(std::max(wrong, 0))].in);
    }
    const auto end = Clock::now();
    std::cout << "[   INFO   ] 1000 connections: connect + 100 B echo each in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(first_round - start).count()
              << " ms; 16 KiB echo + half-close each in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(end - first_round).count() << " ms"
              << std::endl;
    {
        SCOPED_TRACE("every finished connection is closed by the server");
        EXPECT_TRUE(wait_until([&] { return open_descriptors(pid) == descriptors_before; }, 10s))
            << "the server still has " << open_descriptors(pid) << " descriptors open, " << descriptors_before
            << " before any client";
    }
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, NonReadingClientStaysBoundedAndOthersUnaffected, 11) {
    EchoServer server({"--max-buffer", "262144"});
    const pid_t pid = server.pid();
    const UniqueFd polite = server.connect();
    ASSERT_EQ(round_trip(polite.get(), random_bytes(256 * 1024, 33)), "") << "stderr: " << server.log();
    const long before = resident_kib(pid);
    ASSERT_GT(before, 0) << "cannot read VmRSS of the server from /proc";
    const UniqueFd hog = server.connect();
    std::string pushed;
    {
        SCOPED_TRACE(
            "a client pushes up to 64 MiB without reading any echo, until its sends stay stuck for 500 ms");
        pushed = send_until_stuck(hog.get(), 64 * kMiB, 500ms, 34);
        EXPECT_LT(pushed.size(), 64 * kMiB) << "all 64 MiB went in although none of the echo was read: the "
                                               "server kept reading (no backpressure)";
    }
    const long after = resident_kib(pid);
    std::cout << "[   INFO   ] a client pushed " << pushed.size() / 1024
              << " KiB without reading; server VmRSS " << before << " KiB -> " << after << " KiB"
              << std::endl;
    {
        SCOPED_TRACE("the server's resident memory grew by less than 8 MiB (--max-buffer is 256 KiB)");
        EXPECT_LT(after - before, 8 * 1024) << "VmRSS grew from " << before << " KiB to " << after << " KiB";
    }
    const auto window_start = Clock::now();
    const long ticks_before = cpu_ticks(pid);
    {
        SCOPED_TRACE("meanwhile another client gets 200 echoes of 64 bytes, each within 2 s");
        std::chrono::microseconds worst{0};
        for (int i = 0; i < 200; ++i) {
            const auto start = Clock::now();
            const std::string problem =
                round_trip(polite.get(), random_bytes(64, static_cast<std::uint32_t>(i)), 2s);
            ASSERT_EQ(problem, "") << "echo " << i << " while the hog waits; stderr: " << server.log();
            worst =
                std::max(worst, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
        }
        std::cout << "[   INFO   ] 200 echoes of 64 B beside the hog, the slowest in " << worst.count()
                  << " us" << std::endl;
    }
    {
        SCOPED_TRACE(
            "the hog stays stuck for another 500 ms (the server does not read from it), and the server "
            "idles meanwhile instead of spinning: under a quarter of a CPU since the hog got stuck");
        pollfd entry{hog.get(), POLLOUT, 0};
        EXPECT_EQ(::poll(&entry, 1, 500), 0) << "the hog could send again: the server read from it";
        const long ticks = cpu_ticks(pid) - ticks_before;
        const auto window =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - window_start);
        EXPECT_LT(ticks * 10, window.count() / 4 + 30)
            << "the server used " << ticks << " clock ticks (10 ms each) of CPU in " << window.count()
            << " ms";
    }
    {
        SCOPED_TRACE(
            "the hog reads at last: every byte it pushed comes back, in order, then EOF after its FIN");
        const auto echo = read_exactly(hog.get(), pushed.size(), 30s);
        ASSERT_TRUE(echo) << "not all " << pushed.size()
                          << " bytes came back within 30 s: reading must resume "
                          << "once the queued echo drains; stderr: " << server.log();
        EXPECT_BYTES_EQ(pushed, *echo);
        ASSERT_EQ(::shutdown(hog.get(), SHUT_WR), 0);
        EXPECT_EQ(read_to_eof(hog.get(), 10s), std::string());
    }
    EXPECT_LT(resident_kib(pid) - before, 8 * 1024);
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, ResetsDisturbNobodyElse, 5) {
    EchoServer server({"--max-buffer", "65536"});
    const pid_t pid = server.pid();
    const int descriptors_before = open_descriptors(pid);
    const UniqueFd polite = server.connect();
    const std::string payload = random_bytes(4 * kMiB, 35);
    ExchangeResult polite_result;
    std::jthread polite_thread([&] { polite_result = exchange(polite.get(), payload); });
    std::vector<std::uint16_t> rude_ports;
    {
        SCOPED_TRACE(
            "while a polite client streams 4 MiB, six clients reset their connection (SO_LINGER 0): "
            "three with the echo backed up, three after reading part of it");
        for (int i = 0; i < 6; ++i) {
            UniqueFd rude = server.connect();
            rude_ports.push_back(bound_port(rude.get()));
            if (i % 2 == 0) {
                send_until_stuck(rude.get(), 64 * kMiB, 200ms, static_cast<std::uint32_t>(36 + i));
            } else {
                ASSERT_TRUE(send_within(rude.get(), random_bytes(200 * 1024, 40), 10s));
                ASSERT_TRUE(read_exactly(rude.get(), 1000, 10s)) << "stderr: " << server.log();
            }
            reset_connection(std::move(rude));
        }
    }
    polite_thread.join();
    EXPECT_TRUE(polite_result.eof && polite_result.sent_all) << polite_result.summary(payload.size());
    EXPECT_BYTES_EQ(payload, polite_result.received);
    {
        SCOPED_TRACE("each reset is logged on stderr with the peer's address, and its connection closed");
        for (const std::uint16_t port : rude_ports) {
            const std::string peer = "127.0.0.1:" + std::to_string(port) + ":";
            EXPECT_TRUE(wait_until([&] { return server.log().find(peer) != std::string::npos; }, 10s))
                << "no line naming " << peer << " on stderr within 10 s; stderr: " << server.log();
        }
        EXPECT_TRUE(wait_until([&] { return open_descriptors(pid) == descriptors_before; }, 10s))
            << "the server still has " << open_descriptors(pid) << " descriptors open, " << descriptors_before
            << " before any client";
    }
    SCOPED_TRACE("and goes on serving: a new client gets 256 KiB echoed");
    const UniqueFd next = server.connect();
    const std::string more = random_bytes(256 * 1024, 41);
    const ExchangeResult result = exchange(next.get(), more);
    EXPECT_TRUE(result.eof && result.sent_all) << result.summary(more.size());
    EXPECT_BYTES_EQ(more, result.received);
    EXPECT_FALSE(server.process.wait_exit(0ms)) << "the server exited: " << server.log();
}

GRADED_TEST(Lab04Epoll, HalfCloseGetsTheWholeEchoThenEof, 6) {
    EchoServer server({"--max-buffer", "65536"});
    const pid_t pid = server.pid();
    const int descriptors_before = open_descriptors(pid);
    {
        SCOPED_TRACE("a client that half-closes at once gets EOF and nothing else");
        const UniqueFd client = server.connect();
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        EXPECT_EQ(read_to_eof(client.get(), 10s), std::string()) << "expected EOF with no data within 10 s";
    }
    {
        SCOPED_TRACE(
            "100 clients each send 1 to 3000 bytes and their FIN at once (they often arrive together)");
        for (std::uint32_t i = 0; i < 100; ++i) {
            const UniqueFd client = server.connect();
            const std::string data = random_bytes(1 + (i * 37) % 3000, 100 + i);
            ASSERT_TRUE(send_within(client.get(), data, 5s));
            ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
            const auto echo = read_to_eof(client.get(), 10s);
            ASSERT_TRUE(echo) << "client " << i << ": no EOF within 10 s; stderr: " << server.log();
            ASSERT_BYTES_EQ(data, *echo);
        }
    }
    {
        SCOPED_TRACE("4 MiB sent and half-closed while the echo still flows back: all of it, then EOF");
        const UniqueFd client = server.connect();
        const std::string payload = random_bytes(4 * kMiB, 42);
        const ExchangeResult result = exchange(client.get(), payload);
        EXPECT_TRUE(result.eof && result.sent_all) << result.summary(payload.size());
        EXPECT_BYTES_EQ(payload, result.received);
        EXPECT_EQ(result.problem, "") << "the stream must end with FIN (EOF), not an error";
    }
    {
        SCOPED_TRACE(
            "a client backs up its echo (the server stops reading it), half-closes, then reads: the FIN "
            "waited behind the unread bytes, and still everything comes back before EOF");
        const UniqueFd client = server.connect();
        const std::string pushed = send_until_stuck(client.get(), 64 * kMiB, 300ms, 43);
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        const auto echo = read_to_eof(client.get(), 30s);
        ASSERT_TRUE(echo) << "no EOF within 30 s; stderr: " << server.log();
        EXPECT_BYTES_EQ(pushed, *echo);
    }
    {
        SCOPED_TRACE(
            "a client with an 8 KiB receive buffer sends 160 KiB and its FIN before reading anything: "
            "the server reads the FIN while echo is still queued, and must send all of it before its own");
        const UniqueFd client = connect_with_receive_buffer(server.endpoint, 8192, 1000);
        const std::string data = random_bytes(160 * 1024, 44);
        ASSERT_TRUE(send_within(client.get(), data, 10s)) << "stderr: " << server.log();
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        const auto echo = read_to_eof(client.get(), 10s);
        ASSERT_TRUE(echo) << "no EOF within 10 s; stderr: " << server.log();
        EXPECT_BYTES_EQ(data, *echo);
    }
    SCOPED_TRACE("every connection is closed once its echo is done (no leaked descriptors)");
    EXPECT_TRUE(wait_until([&] { return open_descriptors(pid) == descriptors_before; }, 10s))
        << "the server still has " << open_descriptors(pid) << " descriptors open, " << descriptors_before
        << " before any client";
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, QueuesClientsBeyondMaxConnections, 3) {
    EchoServer server({"--max-connections", "2"});
    UniqueFd first = server.connect();
    const UniqueFd second = server.connect();
    ASSERT_EQ(round_trip(first.get(), "one"), "") << "stderr: " << server.log();
    ASSERT_EQ(round_trip(second.get(), "two"), "");
    SCOPED_TRACE("with --max-connections 2 and two clients connected, a third connects but waits");
    const UniqueFd third = server.connect();
    ASSERT_TRUE(send_within(third.get(), "three", 5s));
    pollfd entry{third.get(), POLLIN, 0};
    EXPECT_EQ(::poll(&entry, 1, 300), 0) << "the third client was served while two others were connected";
    SCOPED_TRACE("the first client leaves; the third is served at once");
    ASSERT_EQ(::shutdown(first.get(), SHUT_WR), 0);
    EXPECT_EQ(read_to_eof(first.get(), 5s), std::string());
    first.reset();
    EXPECT_EQ(read_exactly(third.get(), 5, 10s), "three") << "stderr: " << server.log();
    EXPECT_EQ(round_trip(second.get(), "still two"), "");
}

#if defined(__SANITIZE_ADDRESS__)
// A sanitized server needs descriptors for the sanitizer too, so starving it only produces false
// reports: the asan build keeps the normal limit and checks that everyone is served.
constexpr bool kStarveDescriptors = false;
#else
constexpr bool kStarveDescriptors = true;
#endif

GRADED_TEST(Lab04Epoll, OutOfDescriptorsPausesWithoutSpinning, 3) {
    std::optional<EchoServer> server;
    {
        // The child inherits a soft limit of 24 descriptors: about 18 connections, then accept() fails
        // with EMFILE while more clients wait. Our own limit comes back right after the spawn.
        const DescriptorLimit low(kStarveDescriptors ? 24 : DescriptorLimit::hard());
        server.emplace();
    }
    constexpr int kClients = 30;
    std::vector<UniqueFd> clients;
    for (int id = 0; id < kClients; ++id) {
        clients.push_back(server->connect());
        ASSERT_TRUE(send_within(clients.back().get(), "client " + std::to_string(id), 5s));
    }
    if (kStarveDescriptors) {
        SCOPED_TRACE("30 clients connect and send: the server logs accept's EMFILE");
        ASSERT_TRUE(
            wait_until([&] { return server->log().find("Too many open files") != std::string::npos; }, 10s))
            << "stderr: " << server->log();
        SCOPED_TRACE("while out of descriptors it waits instead of spinning: under half a CPU for 500 ms");
        const long ticks_before = cpu_ticks(server->pid());
        pollfd entry{clients.back().get(), POLLIN, 0};
        EXPECT_EQ(::poll(&entry, 1, 500), 0)
            << "the last client was served although the server is out of descriptors";
        const long ticks = cpu_ticks(server->pid()) - ticks_before;
        EXPECT_LT(ticks, 25) << "the server used " << ticks << " clock ticks of CPU (1/100 s each) in 500 ms";
    }
    SCOPED_TRACE(
        "each client half-closes; as connections end, descriptors free up and every client is served");
    for (auto& client : clients) {
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    }
    const auto deadline = Clock::now() + 15s;
    for (int id = 0; id < kClients; ++id) {
        const auto echo = read_to_eof(clients[static_cast<std::size_t>(id)].get(),
                                      std::chrono::milliseconds(millis_left(deadline)));
        EXPECT_EQ(echo, "client " + std::to_string(id)) << "stderr: " << server->log();
    }
    EXPECT_FALSE(server->process.wait_exit(0ms)) << "the server exited: " << server->log();
}

/// Two clients connected, one idle and one whose echo is backed up; then signal_number: exit 0.
void expect_clean_exit_on(int signal_number) {
    EchoServer server;
    const UniqueFd idle = server.connect();
    ASSERT_EQ(round_trip(idle.get(), "still here"), "") << "stderr: " << server.log();
    const UniqueFd busy = server.connect();
    ASSERT_EQ(round_trip(busy.get(), "busy"), "");
    send_until_stuck(busy.get(), 64 * kMiB, 200ms);
    SCOPED_TRACE(std::string("send ") + strsignal(signal_number) + " with two clients connected");
    server.process.send_signal(signal_number);
    const auto status = server.process.wait_exit(10s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.log();
    EXPECT_EQ(read_to_eof(idle.get(), 5s), std::string())
        << "the idle client should see the connection end (EOF)";
    EXPECT_EQ(server.log(), "");
}

GRADED_TEST(Lab04Epoll, SigintAndSigtermExitZeroWithClientsConnected, 2) {
    expect_clean_exit_on(SIGINT);
    expect_clean_exit_on(SIGTERM);
}

}  // namespace
}  // namespace netlab::testing
