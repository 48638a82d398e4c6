#pragma once
// A UDP relay that mistreats datagrams on purpose, for tests of protocols that must survive
// loss, duplication and reordering. It sits on a loopback port between one client and a
// server: the client sends to relay.port(), the relay forwards to the server and the server's
// replies back to the client (the last address that sent to the relay). A fixed seed makes the
// faults repeatable: each direction rolls its own std::mt19937 three times per datagram.
// It runs in its own thread and stops in its destructor; nothing in it sleeps.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "common/unique_fd.hpp"

namespace netlab::testing {

/// What the relay does to each datagram, in both directions. Probabilities are 0.0 to 1.0.
struct LossOptions {
    double drop = 0.0;       ///< the datagram is not forwarded
    double duplicate = 0.0;  ///< the datagram is forwarded twice
    double reorder = 0.0;    ///< the datagram is held back until the next one has gone (or hold passed)
    std::chrono::milliseconds hold{10};  ///< the longest a held-back datagram waits
    std::uint32_t seed = 1;              ///< the same seed and traffic give the same faults
};

/// What happened to the datagrams going one way.
struct RelayDirectionCounts {
    std::uint64_t received = 0;    ///< datagrams that came in
    std::uint64_t dropped = 0;     ///< dropped on purpose
    std::uint64_t duplicated = 0;  ///< sent twice on purpose
    std::uint64_t reordered = 0;   ///< held back on purpose
    std::uint64_t sent = 0;        ///< datagrams that went out, copies included
};

/// Everything the relay did so far.
struct RelayCounts {
    RelayDirectionCounts to_server;  ///< client -> server
    RelayDirectionCounts to_client;  ///< server -> client
    std::uint64_t errors = 0;        ///< send/receive errors survived (e.g. ECONNREFUSED: no server)
};

/// A lossy UDP relay on loopback port 0 in front of server_host:server_port (an IP literal).
class LossyUdpRelay {
public:
    /// Binds the relay's port and starts its thread. Throws std::system_error on failure.
    LossyUdpRelay(const std::string& server_host, std::uint16_t server_port, LossOptions options);
    /// Stops the thread (through a wake pipe) and joins it. Datagrams still held are dropped.
    ~LossyUdpRelay();
    LossyUdpRelay(const LossyUdpRelay&) = delete;
    LossyUdpRelay& operator=(const LossyUdpRelay&) = delete;

    /// The loopback address clients send to: "127.0.0.1" or "::1", the server's family.
    [[nodiscard]] const std::string& host() const noexcept { return host_; }
    /// The relay's port.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// A snapshot of the counts; any thread.
    [[nodiscard]] RelayCounts counts() const;
    /// Empty while the relay runs; otherwise why its thread stopped early.
    [[nodiscard]] std::string failure() const;

private:
    void run();

    LossOptions options_;
    std::string host_;
    std::uint16_t port_ = 0;
    UniqueFd front_;      // bound: the client talks to it
    UniqueFd back_;       // connected to the server
    UniqueFd wake_read_;  // readable when the destructor wants the thread to stop
    UniqueFd wake_write_;
    mutable std::mutex mutex_;
    RelayCounts counts_;
    std::string failure_;
    std::thread thread_;
};

}  // namespace netlab::testing
