// iot_dashboard: every sensor of every site in one live table.
// This lab shows:
//  - two wildcard subscriptions (site/+/sensor/+ and site/+/sensor/+/status) instead of one per sensor;
//  - retained statuses: a dashboard started late still shows who is online or offline;
//  - rendering on our thread at a steady rate, whatever rate the messages arrive at.

#include <iostream>
#include <string>

#include "08_mqtt/client.hpp"
#include "08_mqtt/mqtt_cli.hpp"
#include "08_mqtt/telemetry.hpp"
#include "common/cli.hpp"
#include "common/shutdown_signal.hpp"

namespace mq = netlab::mqtt;

namespace {

int run(const netlab::CommandLine& cli, const netlab::ShutdownSignal& stop) {
    const auto refresh = std::chrono::milliseconds(mq::number_or(cli, "--refresh-ms", 50, 60'000, 1000));
    const auto count = mq::number_or(cli, "--count", 1, 1'000'000'000, 0);
    const auto timeout = std::chrono::seconds(mq::number_or(cli, "--timeout", 1, 86400, 0));
    mq::Client client(mq::ClientOptionsBuilder(mq::broker_uri(cli), cli.get("--id").value_or(""))
                          .mqtt_version(mq::mqtt_version(cli))
                          .build());
    client.connect();
    client.subscribe(mq::kTelemetryFilter, mq::Qos::at_least_once);
    client.subscribe(mq::kStatusFilter, mq::Qos::at_least_once);
    std::cout << "dashboard subscribed to " << mq::kTelemetryFilter << " and " << mq::kStatusFilter
              << std::endl;
    mq::Dashboard dashboard;
    std::uint64_t received = 0;
    const auto started = std::chrono::steady_clock::now();
    auto next_render = started + refresh;
    while (!stop.requested() && (count == 0 || received < count) &&
           (timeout.count() == 0 || std::chrono::steady_clock::now() - started < timeout)) {
        if (auto message = client.next_message(std::chrono::milliseconds(50))) {
            received += dashboard.apply(message->topic, message->payload) ? 1U : 0U;
        }
        if (std::chrono::steady_clock::now() >= next_render) {
            std::cout << "--- " << dashboard.rows().size() << " sensors, " << received << " messages\n"
                      << dashboard.render() << std::flush;
            next_render += refresh;
        }
    }
    std::cout << "--- final: " << dashboard.rows().size() << " sensors, " << received << " messages\n"
              << dashboard.render() << std::flush;
    client.disconnect();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::ShutdownSignal stop;
    netlab::CommandLine cli("iot_dashboard",
                            "Subscribes to every sensor (site/+/sensor/+) and prints a live table.");
    mq::add_connection_options(cli)
        .option("--refresh-ms", "MS", "print the table this often (default 1000)")
        .option("-C,--count", "COUNT", "exit after COUNT sensor messages")
        .option("-W,--timeout", "SECONDS", "exit after SECONDS");
    return netlab::run_main(cli, argc, argv,
                            [&stop](const netlab::CommandLine& parsed) { return run(parsed, stop); });
}
