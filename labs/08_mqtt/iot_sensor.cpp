// iot_sensor: a simulated sensor publishing JSON telemetry.
// This lab shows:
//  - a retained status topic with the will as its "offline": the broker announces our death for us,
//    and a late dashboard still learns who is online (retained);
//  - on SIGINT/SIGTERM we publish "offline" ourselves, then DISCONNECT: a clean disconnect
//    discards the will, so without that publish the status would stay "online" forever;
//  - auto reconnect and offline buffering: readings taken while the broker is away are sent later.

#include <poll.h>

#include <cmath>
#include <functional>
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
    const std::string site = cli.get("--site").value_or("lab");
    const std::string sensor = cli.get("--sensor").value_or("s1");
    if (!mq::valid_name(site) || !mq::valid_name(sensor)) {
        throw netlab::UsageError("--site and --sensor are 1-32 of [A-Za-z0-9_-]");
    }
    const auto interval = static_cast<int>(mq::number_or(cli, "--interval-ms", 10, 3'600'000, 1000));
    const auto limit = mq::number_or(cli, "--messages", 0, 1'000'000'000, 0);
    const std::string base = "site/" + site + "/sensor/" + sensor;
    mq::Client client(mq::ClientOptionsBuilder(mq::broker_uri(cli),
                                               cli.get("--id").value_or("sensor-" + site + "-" + sensor))
                          .mqtt_version(mq::mqtt_version(cli))
                          .keep_alive(std::chrono::seconds(mq::number_or(cli, "--keepalive", 5, 65535, 10)))
                          .will({base + "/status", "offline", mq::Qos::at_least_once, mq::Retain::yes})
                          .build());
    client.connect();
    client.publish(base + "/status", "online", mq::Qos::at_least_once, mq::Retain::yes);
    std::cout << "sensor " << site << "/" << sensor << " online, publishing to " << base << std::endl;
    pollfd signal_fd{stop.get(), POLLIN, 0};
    for (std::uint64_t seq = 1; limit == 0 || seq <= limit; ++seq) {
        const double phase = static_cast<double>(seq) / 10.0 +
                             static_cast<double>(std::hash<std::string>{}(base) % 628) / 100.0;
        client.publish(
            base,
            mq::format_telemetry({sensor, seq, 21.0 + 2.0 * std::sin(phase), 45.0 + 5.0 * std::cos(phase)}),
            mq::Qos::at_least_once);
        if (::poll(&signal_fd, 1, interval) > 0) {
            break;
        }
    }
    client.publish(base + "/status", "offline", mq::Qos::at_least_once, mq::Retain::yes);
    client.flush(std::chrono::seconds(10));
    client.disconnect();
    std::cout << "sensor " << site << "/" << sensor << " offline" << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::ShutdownSignal stop;
    netlab::CommandLine cli("iot_sensor",
                            "A simulated sensor: JSON telemetry on site/SITE/sensor/ID, "
                            "retained status on .../status (the will says offline).");
    mq::add_connection_options(cli)
        .option("--site", "SITE", "site name (default lab)")
        .option("--sensor", "ID", "sensor name (default s1)")
        .option("--interval-ms", "MS", "time between readings (default 1000)")
        .option("--messages", "N", "stop after N readings (default 0 = until SIGINT)");
    return netlab::run_main(cli, argc, argv,
                            [&stop](const netlab::CommandLine& parsed) { return run(parsed, stop); });
}
