#pragma once
// A fault tool for lab 08: a TCP peer on 127.0.0.1, port 0, that speaks just enough MQTT 3.1.1 to
// play a scenario a real broker never would (close before CONNACK, answer with garbage, send a
// malformed or oversize PUBLISH). It accepts connections one after another on its own thread and
// runs the scenario on each; every step has a deadline.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "common/unique_fd.hpp"

namespace netlab::testing {

/// One MQTT packet as read off the wire: its first byte and the bytes after the remaining length.
struct RawPacket {
    unsigned char first = 0;
    std::string body;
};

/// A scripted peer that clients connect to as if it were a broker.
class FakeBroker {
public:
    /// The scenario runs on the broker's thread for each connection (fd, 1 for the first one).
    using Scenario = std::function<void(int fd, int connection)>;
    /// Listens on 127.0.0.1 port 0 and starts accepting.
    explicit FakeBroker(Scenario scenario);
    /// Stops accepting (within about 50 ms) and closes the listener; a running scenario finishes first.
    ~FakeBroker();
    FakeBroker(const FakeBroker&) = delete;
    FakeBroker& operator=(const FakeBroker&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Connections accepted so far.
    [[nodiscard]] int connections() const noexcept { return connections_.load(); }

private:
    UniqueFd listener_;
    std::uint16_t port_ = 0;
    Scenario scenario_;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::thread thread_;
};

/// Reads one packet whose remaining length is at most 64 KiB; nullopt on EOF, error or timeout.
std::optional<RawPacket> read_packet(int fd, std::chrono::milliseconds timeout);
/// A first byte followed by remaining as MQTT's variable-length integer (1 to 4 bytes).
std::string fixed_header(unsigned char first, std::size_t remaining);
/// A QoS 0 PUBLISH of payload on topic.
std::string publish_packet(const std::string& topic, const std::string& payload);
/// Reads CONNECT and answers CONNACK (accepted), reads SUBSCRIBE and answers SUBACK granting QoS 0.
/// False when either packet did not come within 5 s.
bool accept_session(int fd);

}  // namespace netlab::testing
