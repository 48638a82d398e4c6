// Lab 05, libevent_echo_server end to end: integrity in odd chunks, half-close, the idle timeout,
// the connection limit, bounded memory against a client that never reads, resets, many clients,
// and a clean exit on SIGINT/SIGTERM. The server is a child process; we talk to it over loopback.
// The scenarios about reading run twice: through the bufferevent, and with --direct-read.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <latch>
#include <mutex>
#include <thread>

#include "bytes.hpp"
#include "deadline.hpp"
#include "exchange.hpp"
#include "graded.hpp"
#include "process_usage.hpp"
#include "server_process.hpp"
#include "stream_probes.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

struct EchoServer : ServerProcess {
    explicit EchoServer(std::vector<std::string> extra = {})
        : ServerProcess("libevent_echo_server", listen_args(std::move(extra))) {}
};

/// mode's arguments, then extra's.
std::vector<std::string> with(std::vector<std::string> mode, const std::vector<std::string>& extra) {
    mode.insert(mode.end(), extra.begin(), extra.end());
    return mode;
}

/// Waits until fd has data or EOF (true) or the timeout passes (false).
bool readable_within(int fd, std::chrono::milliseconds timeout) {
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, static_cast<int>(timeout.count())) > 0;
}

void echoes_eight_mib_in_odd_chunks(const std::vector<std::string>& mode) {
    EchoServer server(mode);
    const UniqueFd client = server.connect();
    const std::string payload = random_bytes(8 * 1024 * 1024, 5);
    SCOPED_TRACE("8 MiB sent in pieces of 1 to 65536 bytes while the echo is read 1 to 8192 bytes at a time");
    ExchangeOptions options;
    options.send_sizes = {1,   2,   3,   5,   8,    13,   21,   34,   55,   89,   144,
                          233, 377, 610, 987, 1597, 2584, 4181, 4095, 4096, 4097, 65536};
    options.read_sizes = {1, 3, 7, 100, 1460, 4095, 4096, 4097, 8192};
    options.timeout = 40s;
    const ExchangeResult result = exchange(client.get(), payload, options);
    EXPECT_TRUE(result.eof && result.sent_all)
        << result.summary(payload.size()) << "\nserver stderr: " << server.process.stderr_text();
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab05Echo, EchoesEightMiBInSmallAndOddChunks, 5) {
    echoes_eight_mib_in_odd_chunks({});
}

void half_close_gets_the_whole_echo_then_eof(const std::vector<std::string>& mode) {
    EchoServer server(mode);
    {
        SCOPED_TRACE("a client that half-closes at once gets EOF and nothing else");
        const UniqueFd client = server.connect();
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        EXPECT_EQ(read_to_eof(client.get(), 10s), std::string()) << "expected EOF with no data within 10 s";
    }
    {
        SCOPED_TRACE(
            "200 KiB sent and half-closed BEFORE reading anything: the queued echo still comes, then EOF");
        const UniqueFd client = server.connect();
        const std::string payload = random_bytes(200 * 1024, 11);
        ASSERT_TRUE(send_within(client.get(), payload, 10s));
        ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
        const auto echoed = read_to_eof(client.get(), 10s);
        ASSERT_TRUE(echoed.has_value())
            << "no EOF within 10 s; server stderr: " << server.process.stderr_text();
        EXPECT_BYTES_EQ(payload, *echoed);
    }
    SCOPED_TRACE(
        "4 MiB sent and half-closed while the echo flows back: all of it arrives, then FIN (not RST)");
    const UniqueFd client = server.connect();
    const std::string payload = random_bytes(4 * 1024 * 1024, 4);
    const ExchangeResult result = exchange(client.get(), payload);
    EXPECT_TRUE(result.sent_all && result.eof) << result.summary(payload.size());
    EXPECT_EQ(result.problem, "");
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab05Echo, HalfCloseGetsTheWholeEchoThenEof, 5) {
    half_close_gets_the_whole_echo_then_eof({});
}

void idle_timeout_closes_an_idle_client_but_not_a_busy_one(const std::vector<std::string>& mode) {
    EchoServer server(with(mode, {"--idle-timeout", "300"}));
    const UniqueFd idle = server.connect();
    const UniqueFd busy = server.connect();
    ASSERT_EQ(round_trip(idle.get(), "once"), "");
    const auto quiet_since = Clock::now();
    {
        SCOPED_TRACE(
            "a client that exchanges a message every 100 ms for 1 s stays connected (--idle-timeout 300)");
        for (int i = 0; i < 10; ++i) {
            ASSERT_EQ(round_trip(busy.get(), "tick " + std::to_string(i)), "");
            EXPECT_FALSE(readable_within(busy.get(), 100ms))
                << "the busy client got EOF or stray data at tick " << i;
        }
    }
    SCOPED_TRACE("the idle client is closed: EOF about 300 ms after its last byte");
    const auto rest = read_to_eof(idle.get(), 5s);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - quiet_since);
    EXPECT_EQ(rest, std::string()) << "expected EOF within 5 s";
    EXPECT_GE(waited.count(), 250) << "closed too early";
    EXPECT_EQ(round_trip(busy.get(), "still here"), "");
}

GRADED_TEST(Lab05Echo, IdleTimeoutClosesAnIdleClientButNotABusyOne, 5) {
    idle_timeout_closes_an_idle_client_but_not_a_busy_one({});
}

GRADED_TEST(Lab05Echo, ConnectionLimitQueuesClientsBeyondN, 3) {
    EchoServer server({"--max-connections", "2"});
    UniqueFd first = server.connect();
    const UniqueFd second = server.connect();
    ASSERT_EQ(round_trip(first.get(), "one"), "");
    ASSERT_EQ(round_trip(second.get(), "two"), "");
    SCOPED_TRACE("with --max-connections 2 and two clients connected, a third connects but is not served");
    const UniqueFd third = server.connect();
    ASSERT_TRUE(send_within(third.get(), "three", 5s));
    EXPECT_FALSE(readable_within(third.get(), 300ms))
        << "the third client was served while two were connected";
    SCOPED_TRACE("the first client leaves; the third is served");
    ASSERT_EQ(::shutdown(first.get(), SHUT_WR), 0);
    EXPECT_EQ(read_to_eof(first.get(), 5s), std::string());
    first.reset();
    EXPECT_EQ(read_exactly(third.get(), 5, 10s), "three")
        << "server stderr: " << server.process.stderr_text();
    EXPECT_EQ(round_trip(second.get(), "still two"), "");
}

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed memory in quarantine (and adds shadow memory), so RSS measures allocation
// volume, not what is alive: the sanitized build checks the behaviour, not the figure.
constexpr bool kMeasureMemory = false;
#else
constexpr bool kMeasureMemory = true;
#endif
constexpr std::size_t kMemoryBoundKib = 16 * 1024;

void client_that_never_reads_cannot_grow_server_memory(const std::vector<std::string>& mode) {
    EchoServer server(mode);
    {
        const UniqueFd warm = server.connect();
        ASSERT_EQ(round_trip(warm.get(), "warm up"), "");
    }
    const auto before = memory_kib(server.process.pid(), "VmRSS");
    ASSERT_TRUE(before.has_value());
    const UniqueFd rude = server.connect();
    set_buffer_sizes(rude.get(), 64 * 1024, 64 * 1024);
    PushResult pushed;
    {
        SCOPED_TRACE("a client sends up to 64 MiB and never reads: the server must stop reading it");
        pushed = push_without_reading(rude.get(), 64u << 20, 500ms);
        EXPECT_EQ(pushed.problem, "");
        EXPECT_TRUE(pushed.stalled) << "the server accepted all " << pushed.sent
                                    << " bytes from a client that reads nothing (no backpressure)";
        EXPECT_LT(pushed.sent, 32u << 20) << "the server kept reading far past its high watermark";
    }
    {
        SCOPED_TRACE("meanwhile another client is served normally");
        const UniqueFd polite = server.connect();
        const std::string payload = random_bytes(1024 * 1024, 21);
        const ExchangeResult result = exchange(polite.get(), payload);
        EXPECT_TRUE(result.eof && result.sent_all) << result.summary(payload.size());
        EXPECT_BYTES_EQ(payload, result.received);
    }
    const auto peak = memory_kib(server.process.pid(), "VmHWM");
    ASSERT_TRUE(peak.has_value());
    const std::size_t growth = *peak > *before ? *peak - *before : 0;
    std::cout << "[ memory ] pushed " << pushed.sent / 1024 << " KiB without reading; server VmRSS before "
              << *before << " KiB, peak (VmHWM) " << *peak << " KiB, growth " << growth << " KiB\n";
    if (kMeasureMemory) {
        EXPECT_LT(growth, kMemoryBoundKib) << "the server's peak memory grew by " << growth << " KiB";
    }
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value())
        << "the server exited: " << server.process.stderr_text();
}

GRADED_TEST(Lab05Echo, ClientThatNeverReadsCannotGrowServerMemory, 5) {
    client_that_never_reads_cannot_grow_server_memory({});
}

void survives_a_client_that_resets_mid_transfer(const std::vector<std::string>& mode) {
    EchoServer server(mode);
    std::uint16_t rude_port = 0;
    {
        SCOPED_TRACE("a client sends until its echo backs up, never reading, then resets (SO_LINGER 0)");
        UniqueFd rude = server.connect();
        set_buffer_sizes(rude.get(), 64 * 1024, 64 * 1024);
        rude_port = bound_port(rude.get());
        ASSERT_EQ(round_trip(rude.get(), "first"), "");
        const PushResult pushed = push_without_reading(rude.get(), 64u << 20, 300ms);
        EXPECT_TRUE(pushed.stalled) << pushed.sent << " bytes; " << pushed.problem;
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
    SCOPED_TRACE("and keeps serving: another client gets 256 KiB echoed");
    const UniqueFd polite = server.connect();
    const std::string payload = random_bytes(256 * 1024, 9);
    const ExchangeResult result = exchange(polite.get(), payload);
    EXPECT_TRUE(result.eof) << result.summary(payload.size());
    EXPECT_BYTES_EQ(payload, result.received);
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value()) << "the server exited";
}

GRADED_TEST(Lab05Echo, SurvivesAClientThatResetsMidTransfer, 3) {
    survives_a_client_that_resets_mid_transfer({});
}

GRADED_TEST(Lab05Echo, ServesFiftyClientsAtOnce, 2) {
    constexpr int kClients = 50;
    EchoServer server;
    std::latch connected(kClients);
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> clients;
    for (int id = 0; id < kClients; ++id) {
        clients.emplace_back([&, id] {
            UniqueFd fd;
            try {
                fd = server.connect();
            } catch (const std::exception& error) {
                const std::lock_guard lock(mutex);
                failures.push_back("client " + std::to_string(id) + ": " + error.what());
            }
            connected.arrive_and_wait();  // all 50 connected before anyone talks
            if (!fd)
                return;
            const std::string payload = random_bytes(64 * 1024, static_cast<std::uint32_t>(100 + id));
            const ExchangeResult result = exchange(fd.get(), payload);
            if (!result.eof || result.received != payload) {
                const std::lock_guard lock(mutex);
                failures.push_back("client " + std::to_string(id) + ": " + result.summary(payload.size()));
            }
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    SCOPED_TRACE("50 clients connected at once, each echoes 64 KiB of its own");
    for (const auto& failure : failures) {
        ADD_FAILURE() << failure;
    }
}

/// Two clients connected, one idle and one whose echo is backed up; then signal_number: exit 0.
void expect_clean_exit_on(int signal_number) {
    EchoServer server;
    const UniqueFd idle = server.connect();
    ASSERT_EQ(round_trip(idle.get(), "still here"), "");
    const UniqueFd busy = server.connect();
    set_buffer_sizes(busy.get(), 64 * 1024, 64 * 1024);
    ASSERT_EQ(round_trip(busy.get(), "busy"), "");
    push_without_reading(busy.get(), 16u << 20, 300ms);
    SCOPED_TRACE(std::string("send ") + strsignal(signal_number) + " with two clients connected");
    server.process.send_signal(signal_number);
    const auto status = server.process.wait_exit(10s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.process.stderr_text();
    EXPECT_EQ(read_to_eof(idle.get(), 5s), std::string()) << "the idle client should see the connection end";
    EXPECT_EQ(server.process.stderr_text().find("error"), std::string::npos) << server.process.stderr_text();
}

GRADED_TEST(Lab05Echo, SigintExitsZeroWithClientsConnected, 2) {
    expect_clean_exit_on(SIGINT);
}

GRADED_TEST(Lab05Echo, SigtermExitsZeroWithClientsConnected, 1) {
    expect_clean_exit_on(SIGTERM);
}

// The same scenarios with --direct-read: a ReadEvent and recv() instead of the bufferevent's reading.
REFERENCE_TEST(Lab05DirectRead, EchoesEightMiBInSmallAndOddChunks) {
    echoes_eight_mib_in_odd_chunks({"--direct-read"});
}

REFERENCE_TEST(Lab05DirectRead, HalfCloseGetsTheWholeEchoThenEof) {
    half_close_gets_the_whole_echo_then_eof({"--direct-read"});
}

REFERENCE_TEST(Lab05DirectRead, IdleTimeoutClosesAnIdleClientButNotABusyOne) {
    idle_timeout_closes_an_idle_client_but_not_a_busy_one({"--direct-read"});
}

REFERENCE_TEST(Lab05DirectRead, ClientThatNeverReadsCannotGrowServerMemory) {
    client_that_never_reads_cannot_grow_server_memory({"--direct-read"});
}

REFERENCE_TEST(Lab05DirectRead, SurvivesAClientThatResetsMidTransfer) {
    survives_a_client_that_resets_mid_transfer({"--direct-read"});
}

}  // namespace
}  // namespace netlab::testing
