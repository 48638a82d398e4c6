// Lab 06, qt_echo_server as a child process driven by plain test-side sockets: integrity of a
// large echo with a half-close, the threaded variant, and a server that outlives rude clients.

#include <sys/socket.h>

#include <csignal>
#include <mutex>
#include <thread>

#include "bytes.hpp"
#include "child_process.hpp"
#include "deadline.hpp"
#include "exchange.hpp"
#include "graded.hpp"
#include "server_process.hpp"
#include "stream_probes.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab06Echo, EightMiBComeBackIntactThenFin, 10) {
    ServerProcess server("qt_echo_server", listen_args());
    const std::string payload = random_bytes(8u << 20, 606);
    const UniqueFd client = server.connect();
    ExchangeOptions options;
    options.send_sizes = {1, 4093, 65536, 100000, 7};  // odd pieces: the echo must not care
    options.read_sizes = {65536, 3, 8192};
    SCOPED_TRACE("8 MiB sent while reading, then SHUT_WR: every byte back in order, then the server's FIN");
    const ExchangeResult result = exchange(client.get(), payload, options);
    EXPECT_TRUE(result.eof && result.sent_all)
        << result.summary(payload.size()) << "\nserver stderr: " << server.process.stderr_text();
    EXPECT_BYTES_EQ(payload, result.received);
}

GRADED_TEST(Lab06Echo, ThreadedServerServesClientsConcurrently, 6) {
    ServerProcess server("qt_echo_server", listen_args({"--threads", "3"}));
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> clients;
    for (int i = 0; i < 6; ++i) {
        clients.emplace_back([&, i] {
            const std::string payload = random_bytes(512 * 1024, static_cast<std::uint32_t>(i + 1));
            const UniqueFd fd = server.connect();
            const ExchangeResult result = exchange(fd.get(), payload);
            if (!result.eof || result.received != payload) {
                const std::lock_guard lock(mutex);
                failures.push_back("client " + std::to_string(i) + ": " + result.summary(payload.size()));
            }
        });
    }
    for (std::thread& client : clients)
        client.join();
    for (const std::string& failure : failures)
        ADD_FAILURE() << failure;
    SCOPED_TRACE("SIGINT stops the workers and the server: exit status 0");
    server.process.send_signal(SIGINT);
    EXPECT_EQ(server.process.wait_exit(10s), 0) << server.process.stderr_text();
}

GRADED_TEST(Lab06Echo, KeepsServingAfterClientsReset, 8) {
    ServerProcess server("qt_echo_server", listen_args());
    const UniqueFd steady = server.connect();
    ASSERT_EQ(round_trip(steady.get(), "before"), "");
    for (int i = 0; i < 5; ++i) {
        SCOPED_TRACE("rude client " + std::to_string(i) + ": pushes 4 MiB without reading, then resets");
        UniqueFd rude = server.connect();
        ASSERT_EQ(round_trip(rude.get(), "hello"), "");
        push_without_reading(rude.get(), 4u << 20, 200ms);
        reset_connection(std::move(rude));
        EXPECT_EQ(round_trip(steady.get(), "still there " + std::to_string(i)), "");
    }
    SCOPED_TRACE("a new client after the resets");
    const UniqueFd late = server.connect();
    const std::string payload = random_bytes(1u << 20, 7);
    const ExchangeResult result = exchange(late.get(), payload);
    EXPECT_TRUE(result.eof) << result.summary(payload.size());
    EXPECT_BYTES_EQ(payload, result.received);
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value())
        << "the server exited: " << server.process.stderr_text();
    server.process.send_signal(SIGTERM);
    EXPECT_EQ(server.process.wait_exit(10s), 0) << server.process.stderr_text();
}

GRADED_TEST(Lab06Echo, QtClientHalfClosesAndReadsTheWholeEcho, 4) {
    SCOPED_TRACE("qt_echo_client against lab 04's epoll server: 2 MiB in, the same 2 MiB out, exit 0");
    ServerProcess server("reference_epoll_echo_server", listen_args());
    ChildProcess client("qt_echo_client", {"--connect", format_host_port(server.endpoint)});
    const std::string payload = random_bytes(2u << 20, 61);
    client.write_stdin(payload);  // the pump thread drains the echo meanwhile: no deadlock
    client.close_stdin();
    const auto echoed = client.read_all_stdout(20s);
    ASSERT_TRUE(echoed.has_value()) << "stdout still open after 20 s; stderr: " << client.stderr_text();
    EXPECT_BYTES_EQ(payload, *echoed);
    EXPECT_EQ(client.wait_exit(10s), 0) << client.stderr_text();
}

}  // namespace
}  // namespace netlab::testing
