#pragma once
// This file shows:
//  - a private mosquitto for lab 08's tests, demo and benchmark (course infrastructure, no exercise):
//    a generated config in a fresh temporary folder, a listener on 127.0.0.1 at a free port, started
//    as a child and waited for with a deadline;
//  - a broker you can stop and start again on the SAME port, with its persistence file, which is
//    what "the broker restarts mid-stream" needs;
//  - cleanup you cannot forget: the destructor kills the child and removes the folder, and the
//    child dies with the thread that started it (PR_SET_PDEATHSIG) if the test itself crashes.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace netlab::broker {

/// How the embedded broker is configured.
struct BrokerSettings {
    bool persistence = false;                       ///< keep sessions and queued messages across a restart
    std::uint16_t port = 0;                         ///< 0 = pick a free loopback port
    std::string mosquitto = "/usr/sbin/mosquitto";  ///< overridden by $NETLAB_MOSQUITTO
    std::chrono::milliseconds start_timeout{10000};
};

/// One mosquitto child process on 127.0.0.1. Start it, stop it, start it again on the same port.
class EmbeddedBroker {
public:
    /// Writes the config and starts mosquitto; returns once this child listens on the port. Throws
    /// std::runtime_error quoting mosquitto's log if it does not (settings.port held by another program).
    explicit EmbeddedBroker(BrokerSettings settings = {});
    /// Kills the broker (if running) and removes its folder. Never throws.
    ~EmbeddedBroker();
    EmbeddedBroker(const EmbeddedBroker&) = delete;
    EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

    /// Sends signal (SIGTERM: mosquitto saves its database and exits) and waits up to 10 s for the exit.
    void stop(int signal_number);
    /// Starts mosquitto again on the same port with the same config and persistence file.
    void start();
    /// True while the child runs.
    [[nodiscard]] bool running();

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// "tcp://127.0.0.1:PORT", what paho and our programs take.
    [[nodiscard]] std::string url() const;
    /// Everything mosquitto logged so far.
    [[nodiscard]] std::string log() const;
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    bool try_start(std::chrono::milliseconds timeout);
    void write_config() const;

    BrokerSettings settings_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace netlab::broker
