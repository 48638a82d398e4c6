// mqtt_pub: publish like mosquitto_pub, through the course's Client.
// This lab shows:
//  - the same flags as mosquitto_pub (-h -p -L -t -m -l -n -q -r -i -c -d --will-* --repeat), so the
//    two are interchangeable in scripts and tests;
//  - -l keeps one connection and publishes each stdin line: the process stays connected until EOF,
//    then flushes (waits for every acknowledgement) and DISCONNECTs, so the will is not sent;
//  - a raised in-flight window for QoS 1 (--max-inflight, default 100; paho's own default is 20),
//    but 20 at QoS 2: a broker cuts off a client with more QoS 2 messages in flight than it allows;
//  - --persist-dir: paho's file store, so messages not yet acknowledged outlive a crash of this process;
//  - -l reads each line with --max-message checked while reading: memory stays bounded whatever
//    arrives on stdin.

#include <chrono>
#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>

#include "08_mqtt/bounded_line.hpp"
#include "08_mqtt/client.hpp"
#include "08_mqtt/mqtt_cli.hpp"
#include "common/cli.hpp"

namespace mq = netlab::mqtt;

namespace {

mq::ClientOptions options_from(const netlab::CommandLine& cli, mq::Qos qos) {
    mq::ClientOptionsBuilder builder(mq::broker_uri(cli), cli.get("--id").value_or(""));
    builder.mqtt_version(mq::mqtt_version(cli))
        .persistent(cli.has("--disable-clean-session"))
        .keep_alive(std::chrono::seconds(mq::number_or(cli, "--keepalive", 5, 65535, 30)))
        .max_inflight(static_cast<int>(
            mq::number_or(cli, "--max-inflight", 1, 65535, qos == mq::Qos::exactly_once ? 20 : 100)))
        .max_payload(mq::number_or(cli, "--max-message", 1, mq::kMaxPayloadLimit, 1024 * 1024))
        .auto_reconnect(false);
    if (const auto dir = cli.get("--persist-dir")) {
        if (!cli.has("--disable-clean-session") || !cli.has("--id")) {
            // A clean session makes paho wipe the store at connect: the saved messages would be lost.
            throw netlab::UsageError("--persist-dir needs -c and -i ID (the store belongs to one session)");
        }
        builder.persist_to(*dir);
    }
    if (const auto topic = cli.get("--will-topic")) {
        builder.will({*topic, cli.get("--will-payload").value_or(""),
                      mq::qos_or(cli, "--will-qos", mq::Qos::at_most_once),
                      cli.has("--will-retain") ? mq::Retain::yes : mq::Retain::no});
    } else if (cli.has("--will-payload") || cli.has("--will-qos") || cli.has("--will-retain")) {
        throw netlab::UsageError("--will-payload, --will-qos and --will-retain need --will-topic");
    }
    try {
        return builder.build();
    } catch (const std::invalid_argument& e) {
        throw netlab::UsageError(e.what());
    }
}

int publish(const netlab::CommandLine& cli) {
    if (cli.all("--topic").size() > 1) {
        throw netlab::UsageError("-t given twice: mqtt_pub publishes to one topic");
    }
    const auto topic = cli.get("--topic") ? cli.get("--topic") : mq::url_topic(cli);
    if (!topic) {
        throw netlab::UsageError("a topic is required (-t TOPIC)");
    }
    const int sources = cli.has("--message") + cli.has("--stdin-line") + cli.has("--null-message");
    if (sources != 1) {
        throw netlab::UsageError("give exactly one of -m MESSAGE, -l or -n");
    }
    const mq::Qos qos = mq::qos_or(cli, "--qos", mq::Qos::at_most_once);
    const mq::Retain retain = cli.has("--retain") ? mq::Retain::yes : mq::Retain::no;
    const auto repeat = mq::number_or(cli, "--repeat", 1, 1'000'000'000, 1);
    const bool debug = cli.has("--debug");
    const bool stats = cli.has("--stats");
    using Clock = std::chrono::steady_clock;
    const auto seconds_since = [](Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    const auto started = Clock::now();
    mq::ClientOptions options = options_from(cli, qos);
    // Topics last among the checks, still before any connection: a bad one is a usage error too.
    mq::require_topic_name("-t", *topic);
    if (options.will) {
        mq::require_topic_name("--will-topic", options.will->topic);
    }
    mq::Client client(std::move(options));
    client.connect();
    if (stats) {
        std::cerr << "connected to " << mq::broker_uri(cli) << " in " << 1000 * seconds_since(started)
                  << " ms" << std::endl;
    }
    const auto publishing = Clock::now();
    std::uint64_t published = 0;
    const auto publish_one = [&](const std::string& payload) {
        client.publish(*topic, payload, qos, retain);
        ++published;
        if (debug) {  // paho has it now: in flight, or in its offline buffer (and store) until a reconnect
            std::cerr << "queued PUBLISH (q" << mq::to_int(qos) << ", r" << (retain == mq::Retain::yes)
                      << ", '" << *topic << "', " << payload.size() << " bytes)"
                      << (client.is_connected() ? "" : " while offline") << std::endl;
        }
    };
    if (cli.has("--stdin-line")) {
        const std::size_t limit = client.options().max_payload;
        std::string line;
        for (std::uint64_t number = 1;; ++number) {
            const mq::LineRead read = mq::read_bounded_line(std::cin, limit, line);
            if (read == mq::LineRead::end) {
                break;
            }
            if (read == mq::LineRead::too_long) {  // the lines before it still go out: flush first
                const bool flushed = client.flush(std::chrono::seconds(60));
                throw std::length_error("stdin line " + std::to_string(number) + " is longer than " +
                                        std::to_string(limit) + " bytes (--max-message); stopped there" +
                                        (flushed ? "" : ", and not every earlier line was acknowledged"));
            }
            publish_one(line);
        }
    } else {
        const std::string payload = cli.get("--message").value_or("");
        for (std::uint64_t i = 0; i < repeat; ++i) {
            publish_one(payload);
        }
    }
    if (!client.flush(std::chrono::seconds(60))) {
        throw mq::ClientError("flush: not every message was acknowledged within 60 s");
    }
    if (stats) {  // the rate of the publishing itself: no process start, connect or shutdown in it
        const double took = seconds_since(publishing);
        std::cerr << "published " << published << " message(s) in " << took
                  << " s: " << (took > 0 ? static_cast<double>(published) / took : 0.0)
                  << " msgs/s (first publish to last acknowledgement)" << std::endl;
    }
    client.disconnect();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli("mqtt_pub", "Publishes messages to an MQTT broker, like mosquitto_pub.");
    mq::add_connection_options(cli)
        .repeatable("-t,--topic", "TOPIC", "topic to publish to (no wildcards; give it once)")
        .option("-m,--message", "MESSAGE", "the message to send")
        .flag("-l,--stdin-line",
              "send each line of stdin as one message, over one connection; a line longer than "
              "--max-message is an error: mqtt_pub stops there (the lines before it are delivered), exit 1")
        .flag("-n,--null-message", "send a zero-length message (with -r: clears the retained one)")
        .option("-q,--qos", "QOS", "0, 1 or 2 (default 0)")
        .flag("-r,--retain", "the broker keeps the message for later subscribers")
        .flag("-c,--disable-clean-session", "keep the session on the broker (needs -i)")
        .option("--max-message", "BYTES", "the largest payload to send (default 1048576)")
        .option("--repeat", "COUNT", "send the message COUNT times (default 1)")
        .option("--max-inflight", "N",
                "unacknowledged messages at once (default 100; 20 at QoS 2, mosquitto's limit)")
        .option("--persist-dir", "DIR",
                "keep unacknowledged QoS 1/2 messages in files under DIR: a restarted mqtt_pub with the "
                "same -c -i ID and DIR sends them (not in mosquitto_pub)")
        .flag("-d,--debug", "say on stderr when each message is handed to paho")
        .flag("--stats", "say on stderr when connected, then the publishing rate (not in mosquitto_pub)")
        .option("--will-topic", "TOPIC", "last will: published by the broker if we vanish")
        .option("--will-payload", "PAYLOAD", "last will's payload")
        .option("--will-qos", "QOS", "last will's QoS (default 0)")
        .flag("--will-retain", "last will is retained");
    return netlab::run_main(cli, argc, argv,
                            [](const netlab::CommandLine& parsed) { return publish(parsed); });
}
