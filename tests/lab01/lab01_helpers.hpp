#pragma once
// Helpers shared by the lab 01 tests: running a learner's function on a thread that cannot
// hang the test, a concurrent send-and-receive with chunk sizes we choose, a running
// tcp_echo_server, and a signal that interrupts blocking calls (EINTR).

#include <pthread.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "background_task.hpp"
#include "child_process.hpp"
#include "common/unique_fd.hpp"
#include "exchange.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// The bytes of a string, for send_all.
std::span<const std::byte> bytes_of(const std::string& text);

/// A connected TCP pair on loopback: client (ours, from connect) and server (from accept).
struct TcpPair {
    UniqueFd client;
    UniqueFd server;
};
/// Makes a TcpPair over family's loopback with the test's own socket code; throws on failure.
TcpPair make_tcp_pair(int family = AF_INET);

/// A TCP socket bound to a 127.0.0.1 port but not listening: connecting to that port is refused,
/// and nobody else can take the port while the socket lives.
UniqueFd bound_but_not_listening();

/// The argument list for a server on loopback port 0, plus extra arguments.
std::vector<std::string> listen_args(const std::string& host = "127.0.0.1",
                                     std::vector<std::string> extra = {});

/// A tcp_echo_server child process that has printed its "listening on" line.
struct EchoServerProcess {
    explicit EchoServerProcess(const std::vector<std::string>& args = listen_args());
    /// Connects a test-side socket to the server.
    [[nodiscard]] UniqueFd connect() const;

    ChildProcess process;
    HostPort endpoint;
};

/// Installs an empty SIGUSR1 handler WITHOUT SA_RESTART for its lifetime, so SIGUSR1 sent to a
/// thread blocked in send()/recv() makes that call return early (EINTR or a short count).
class InterruptingSignal {
public:
    InterruptingSignal();
    ~InterruptingSignal();
    InterruptingSignal(const InterruptingSignal&) = delete;
    InterruptingSignal& operator=(const InterruptingSignal&) = delete;

    /// Sends SIGUSR1 to thread and waits (up to 1 s) until its handler has run.
    bool interrupt(pthread_t thread) const;
    /// How many times the handler ran.
    [[nodiscard]] int count() const;
};

}  // namespace netlab::testing
