// Lab 08, file persistence: the one fault a broker's session cannot cover is the PUBLISHER dying.
// Messages it accepted while the broker was away live only in its memory, unless paho also keeps
// them in files. Here mqtt_pub --persist-dir queues messages while the broker is down, is killed
// with SIGKILL, and a new mqtt_pub with the same client id and folder sends every one of them.

#include <signal.h>

#include <filesystem>
#include <map>
#include <string>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"
#include "temp_dir.hpp"

namespace netlab::testing {
namespace {

using mqtt::Client;

/// How many lines of text contain needle.
std::size_t lines_with(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

/// The regular files left anywhere below folder (paho's store keeps one per unacknowledged message).
std::size_t files_below(const std::string& folder) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
        count += entry.is_regular_file() ? 1U : 0U;
    }
    return count;
}

GRADED_TEST(Lab08Persistence, QueuedMessagesOutliveAKilledPublisher, 2) {
    TestBroker broker(true);
    LAB08_NEED_EMBEDDED_BROKER(broker);
    constexpr int kCount = 50;
    const std::string topic = unique_name("crash");
    const TempDir store;
    Client subscriber(test_options(broker, unique_id("sub")).persistent().build());
    subscriber.connect();
    subscriber.subscribe(topic, mqtt::Qos::at_least_once);
    auto args = broker.address_args();
    args.insert(args.end(), {"-i", unique_id("pub"), "-c", "-q", "1", "-t", topic, "-l", "-d",
                             "--persist-dir", store.path()});
    {
        SCOPED_TRACE("the publisher connects and message 1 arrives: it is up");
        ChildProcess first("mqtt_pub", args);
        first.write_stdin("1\n");
        const auto one = wait_for_topic(subscriber, topic, 10s);
        ASSERT_TRUE(one) << "mqtt_pub did not publish: " << first.stderr_text();
        EXPECT_EQ(one->payload, "1");

        SCOPED_TRACE("the broker stops; the publisher takes messages 2.." + std::to_string(kCount) +
                     " into its offline buffer, and (with --persist-dir) into files");
        broker.embedded()->stop(SIGTERM);
        ASSERT_TRUE(wait_until([&] { return !subscriber.is_connected(); }, 10s))
            << "the subscriber did not notice the broker going away";
        std::string lines;
        for (int i = 2; i <= kCount; ++i) {
            lines += std::to_string(i) + "\n";
        }
        first.write_stdin(lines);
        ASSERT_TRUE(wait_until(
            [&] {
                return lines_with(first.stderr_text(), "queued PUBLISH") >= static_cast<std::size_t>(kCount);
            },
            10s))
            << "mqtt_pub -d did not report queueing every message: " << first.stderr_text();

        SCOPED_TRACE("SIGKILL: no flush, no DISCONNECT; only the files remember messages 2.." +
                     std::to_string(kCount));
        first.send_signal(SIGKILL);
        ASSERT_TRUE(first.wait_exit(10s));
    }
    EXPECT_GT(files_below(store.path()), 0U) << "nothing was written under --persist-dir";
    broker.embedded()->start();
    ASSERT_TRUE(wait_until([&] { return subscriber.is_connected(); }, 20s))
        << "the subscriber did not reconnect";

    SCOPED_TRACE("a new mqtt_pub with the same -i and --persist-dir restores them and sends them");
    ChildProcess second("mqtt_pub", args);
    std::map<int, int> seen;  // message 1 may come again (a QoS 1 resend): what counts is 2..kCount
    const auto missing_now = [&] {
        int missing = 0;
        for (int i = 2; i <= kCount; ++i) {
            missing += seen.contains(i) ? 0 : 1;
        }
        return missing;
    };
    const auto deadline = Clock::now() + 20s;
    while (missing_now() > 0 && Clock::now() < deadline) {
        if (const auto message = subscriber.next_message(std::chrono::milliseconds(millis_left(deadline)))) {
            ++seen[std::stoi(message->payload)];
        }
    }
    const int missing = missing_now();
    EXPECT_EQ(missing, 0) << "messages queued before the crash were lost; the new publisher said: "
                          << second.stderr_text() << "\nbroker log:\n"
                          << broker.embedded()->log();
    EXPECT_TRUE(wait_until([&] { return files_below(store.path()) == 0; }, 10s))
        << "the store still holds " << files_below(store.path()) << " file(s) once the broker had them all";
    second.close_stdin();
    EXPECT_EQ(second.wait_exit(10s), 0) << second.stderr_text();
}

}  // namespace
}  // namespace netlab::testing
