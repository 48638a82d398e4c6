// mqtt_sub: subscribe like mosquitto_sub, through the course's Client.
// This lab shows:
//  - the same flags as mosquitto_sub (-t repeatable, -q, -C, -v, -c with -i, -W);
//  - SIGINT/SIGTERM seen through ShutdownSignal (created before paho starts its threads, so no
//    paho thread is ever interrupted), then a clean DISCONNECT and exit status 0;
//  - the main thread pops messages from the client's queue; paho's thread never writes to stdout;
//  - output is flushed whenever the queue runs empty: live when messages trickle in, one write()
//    per burst (not one per message) when they pour in;
//  - what the client noticed (a lost connection and why, a message over --max-message) goes to
//    stderr, escaped, from the main thread too.

#include <iostream>
#include <string>

#include "08_mqtt/client.hpp"
#include "08_mqtt/mqtt_cli.hpp"
#include "common/cli.hpp"
#include "common/shutdown_signal.hpp"

namespace mq = netlab::mqtt;
using namespace std::chrono_literals;

namespace {

int subscribe(const netlab::CommandLine& cli, const netlab::ShutdownSignal& stop) {
    auto filters = cli.all("--topic");
    if (filters.empty()) {
        if (const auto topic = mq::url_topic(cli)) {
            filters.push_back(*topic);
        } else {
            throw netlab::UsageError("at least one -t FILTER is required");
        }
    }
    const bool persistent = cli.has("--disable-clean-session");
    if (persistent && !cli.has("--id")) {
        throw netlab::UsageError("-c (a persistent session) needs a stable client id: -i ID");
    }
    const mq::Qos qos = mq::qos_or(cli, "--qos", mq::Qos::at_most_once);
    const auto count = mq::number_or(cli, "--count", 1, 1'000'000'000, 0);
    const auto timeout = mq::number_or(cli, "--timeout", 1, 86400, 0);
    mq::ClientOptions options;
    try {
        options = mq::ClientOptionsBuilder(mq::broker_uri(cli), cli.get("--id").value_or(""))
                      .mqtt_version(mq::mqtt_version(cli))
                      .persistent(persistent)
                      .keep_alive(std::chrono::seconds(mq::number_or(cli, "--keepalive", 5, 65535, 30)))
                      .max_payload(mq::number_or(cli, "--max-message", 1, mq::kMaxPayloadLimit, 1024 * 1024))
                      .build();
    } catch (const std::invalid_argument& e) {
        throw netlab::UsageError(e.what());
    }
    for (const auto& filter : filters) {  // last among the checks, still before any connection
        mq::require_topic_filter("-t", filter);
    }
    mq::Client client(options);
    client.connect();
    for (const auto& filter : filters) {
        client.subscribe(filter, qos);
        if (cli.has("--debug")) {
            std::cerr << "subscribed to " << filter << " (QoS " << mq::to_int(qos) << ")" << std::endl;
        }
    }
    const auto tell = [&client] {
        while (const auto notice = client.next_notice(0ms)) {
            std::cerr << "mqtt_sub: " << *notice << std::endl;
        }
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    for (std::uint64_t received = 0; count == 0 || received < count; ++received) {
        std::optional<mq::Message> message = client.next_message(0ms);
        if (!message) {
            std::cout.flush();  // nothing else waiting: show what we printed (one write per burst)
        }
        while (!message) {
            tell();
            if (stop.requested() || (timeout != 0 && std::chrono::steady_clock::now() >= deadline)) {
                client.disconnect();
                return timeout != 0 && !stop.requested() ? 27 : 0;  // 27: mosquitto_sub's -W timeout status
            }
            message = client.next_message(100ms);
        }
        tell();  // in order: a notice about a message dropped before this one comes first
        if (cli.has("--verbose")) {
            std::cout << message->topic << ' ';
        }
        std::cout << message->payload << '\n';
    }
    std::cout.flush();
    client.disconnect();
    tell();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::ShutdownSignal stop;
    netlab::CommandLine cli("mqtt_sub",
                            "Subscribes to MQTT topic filters and prints messages, like mosquitto_sub.");
    mq::add_connection_options(cli)
        .repeatable("-t,--topic", "FILTER", "topic filter to subscribe to (+ and # allowed)")
        .option("-q,--qos", "QOS", "maximum QoS to receive: 0, 1 or 2 (default 0)")
        .option("-C,--count", "COUNT", "exit after COUNT messages")
        .option("-W,--timeout", "SECONDS", "exit (status 27) after SECONDS")
        .flag("-v,--verbose", "print the topic before each payload")
        .flag("-c,--disable-clean-session",
              "persistent session: the broker queues while we are away (needs -i)")
        .option("--max-message", "BYTES",
                "drop (and report on stderr) a message with a larger payload (default 1048576); with -V 5 "
                "the broker drops it before sending")
        .flag("-d,--debug", "say on stderr when each subscription is acknowledged");
    return netlab::run_main(cli, argc, argv,
                            [&stop](const netlab::CommandLine& parsed) { return subscribe(parsed, stop); });
}
