// embedded_mosquitto: a private mosquitto on a free loopback port, for demos and benchmarks.
// This file shows:
//  - the netlab server contract on top of a program that does not keep it: first line
//    "listening on 127.0.0.1:PORT", SIGINT/SIGTERM -> the broker stopped, its folder removed, exit 0.

#include <poll.h>

#include <iostream>

#include "broker/embedded_broker.hpp"
#include "common/cli.hpp"
#include "common/shutdown_signal.hpp"

namespace nb = netlab::broker;

int main(int argc, char** argv) {
    netlab::ShutdownSignal stop;
    netlab::CommandLine cli("embedded_mosquitto",
                            "Runs /usr/sbin/mosquitto from a generated config on 127.0.0.1 until SIGINT.");
    cli.option("--listen", "HOST:PORT", "127.0.0.1 only; port 0 = a free port", "127.0.0.1:0")
        .flag("--persistence", "keep sessions and queued messages across a restart");
    return netlab::run_main(cli, argc, argv, [&stop](const netlab::CommandLine& parsed) {
        const auto endpoint = parsed.endpoint("--listen");
        if (endpoint.host != "127.0.0.1") {
            throw netlab::UsageError("--listen: the embedded broker only listens on 127.0.0.1");
        }
        nb::EmbeddedBroker broker({.persistence = parsed.has("--persistence"), .port = endpoint.port});
        std::cout << "listening on 127.0.0.1:" << broker.port() << std::endl;
        pollfd signal_fd{stop.get(), POLLIN, 0};
        while (::poll(&signal_fd, 1, 500) == 0) {
            if (!broker.running()) {
                std::cerr << "error: mosquitto exited; its log:\n" << broker.log() << std::endl;
                return 1;
            }
        }
        return 0;
    });
}
