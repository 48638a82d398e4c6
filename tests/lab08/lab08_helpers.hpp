#pragma once
// Helpers shared by the lab 08 tests: the broker under test (a private mosquitto on a free
// loopback port, or $MQTT_BROKER), names unique to one test run so tests can share an external
// broker, client options with short timeouts, and the system's mosquitto_pub/mosquitto_sub as
// child processes.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "08_mqtt/client.hpp"
#include "broker/embedded_broker.hpp"
#include "child_process.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// The broker a test talks to: embedded unless MQTT_BROKER=tcp://host:port is set.
class TestBroker {
public:
    /// persistence: the embedded broker keeps sessions across stop/start (ignored when external).
    explicit TestBroker(bool persistence = false);
    /// "tcp://host:port".
    [[nodiscard]] std::string url() const;
    [[nodiscard]] std::string host() const { return host_; }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    /// {"-h", host, "-p", port}: how mqtt_pub/mqtt_sub and mosquitto's clients are pointed at it.
    [[nodiscard]] std::vector<std::string> address_args() const;
    /// The embedded broker, or nullptr when the broker is external (and cannot be restarted).
    [[nodiscard]] broker::EmbeddedBroker* embedded() const { return embedded_.get(); }

private:
    std::unique_ptr<broker::EmbeddedBroker> embedded_;
    std::string host_;
    std::uint16_t port_ = 0;
};

/// Skips the test (GTEST_SKIP) when the broker is external: it cannot be killed by the test.
#define LAB08_NEED_EMBEDDED_BROKER(broker)                                                            \
    if ((broker).embedded() == nullptr) {                                                             \
        GTEST_SKIP() << "this test kills and restarts the broker; MQTT_BROKER points at an external " \
                        "one, so it is skipped (unset MQTT_BROKER to run it against mosquitto)";      \
    }

/// A paho client that never connects, held by a test that builds MQTT 5 connect options without a
/// client of its own: Debian's paho.mqtt.c 1.3.12 (built with its heap tracking) does not return a
/// property list made while no client exists, and LeakSanitizer reports 471 bytes per list.
class PahoHeapGuard {
public:
    PahoHeapGuard() : client_("tcp://127.0.0.1:1", "netlab-heap-guard", nullptr) {}

private:
    ::mqtt::async_client client_;
};

/// "netlab-test/<pid>-<n>-what": a topic no other test or run uses.
std::string unique_name(const std::string& what);
/// "netlab-<pid>-<n>-what": a client id no other test or run uses (no '/': paho's file persistence
/// makes a folder named after the id).
std::string unique_id(const std::string& what);

/// Options for a test client of broker: short connect timeout, quick reconnect.
mqtt::ClientOptionsBuilder test_options(const TestBroker& broker, const std::string& client_id = "");

/// The path of a system program (e.g. /usr/bin/mosquitto_sub) as ChildProcess takes it.
std::string system_program(const std::string& absolute_path);

/// Pops messages until one arrives on topic (others are dropped); nullopt when timeout passes first.
std::optional<mqtt::Message> wait_for_topic(mqtt::Client& client, const std::string& topic,
                                            std::chrono::milliseconds timeout);

/// Collects numbered payloads from client until all of 1..count arrived or timeout; counts duplicates.
std::map<int, int> collect_numbers(mqtt::Client& client, int count, std::chrono::milliseconds timeout);

/// Reads stdout lines until one equals expected; false on timeout or EOF. Other lines are dropped.
bool wait_for_line(ChildProcess& child, const std::string& expected, std::chrono::milliseconds timeout);

}  // namespace netlab::testing
