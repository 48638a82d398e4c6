// Lab 08, the client against a real broker: a round trip, then each fault on purpose.
// Nothing is lost: bad input is refused before a byte is sent; a retained message waits for a late
// subscriber; the will speaks for a killed client; a persistent session queues while we are away;
// QoS 2 delivers exactly once; QoS 1 survives a broker restart (duplicates allowed and counted).

#include <signal.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "08_mqtt/client.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

using mqtt::Client;
using mqtt::InvalidInput;
using mqtt::Message;

GRADED_TEST(Lab08Client, PublishesAndSubscribesThroughTheBroker, 3) {
    TestBroker broker;
    const std::string base = unique_name("roundtrip");
    Client subscriber(test_options(broker).build());
    Client publisher(test_options(broker).build());
    SCOPED_TRACE("connect both, subscribe to " + base + "/#");
    subscriber.connect();
    publisher.connect();
    subscriber.subscribe(base + "/#", mqtt::Qos::exactly_once);
    const std::string binary("a\0b\xff", 4);
    SCOPED_TRACE("publish at QoS 0, 1 and 2, one payload with a NUL byte");
    publisher.publish(base + "/a", "zero", mqtt::Qos::at_most_once);
    publisher.publish(base + "/b/c", "one", mqtt::Qos::at_least_once);
    publisher.publish(base + "/d", binary, mqtt::Qos::exactly_once);
    ASSERT_TRUE(publisher.flush(10s));
    const std::vector<std::tuple<std::string, std::string, mqtt::Qos>> expected = {
        {base + "/a", "zero", mqtt::Qos::at_most_once},
        {base + "/b/c", "one", mqtt::Qos::at_least_once},
        {base + "/d", binary, mqtt::Qos::exactly_once}};
    for (const auto& [topic, payload, qos] : expected) {
        const auto message = subscriber.next_message(10s);
        ASSERT_TRUE(message) << "nothing arrived for " << topic;
        EXPECT_EQ(message->topic, topic);
        EXPECT_EQ(message->payload, payload);
        EXPECT_EQ(mqtt::to_int(message->qos), mqtt::to_int(qos));
        EXPECT_FALSE(message->retained);
    }
    EXPECT_FALSE(subscriber.next_message(50ms)) << "an extra message arrived";
    publisher.disconnect();
    EXPECT_FALSE(publisher.is_connected());
}

GRADED_TEST(Lab08Client, RefusesBadInputBeforeSendingAnything, 2) {
    TestBroker broker;
    const std::string base = unique_name("bad-input");
    Client watcher(test_options(broker).build());
    Client publisher(test_options(broker).max_payload(1024).build());
    watcher.connect();
    publisher.connect();
    watcher.subscribe(base + "/#", mqtt::Qos::at_least_once);
    const auto refused = [&](const std::string& topic, const std::string& payload, int qos,
                             const std::string& why) {
        try {
            publisher.publish(topic, payload, static_cast<mqtt::Qos>(qos));
            ADD_FAILURE() << "publish to '" << topic << "' (" << payload.size() << " bytes, QoS " << qos
                          << ") was accepted";
        } catch (const InvalidInput& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos)
                << "the error '" << e.what() << "' does not say '" << why << "'";
        }
    };
    refused(base + "/+", "x", 1, "wildcard");
    refused(base + "/#", "x", 1, "wildcard");
    refused("", "x", 1, "empty");
    refused(base + std::string("/a\0b", 4), "x", 1, "NUL");
    refused(base + "/\xff", "x", 1, "UTF-8");
    refused(base + "/big", std::string(1025, 'x'), 1, "1025 bytes");
    refused(base + "/qos", "x", 3, "QoS 3");  // a value forced into a Qos is still checked
    EXPECT_THROW(watcher.subscribe(base + "/#/x", mqtt::Qos::at_least_once), InvalidInput)
        << "a misplaced # in a filter";
    EXPECT_THROW(watcher.subscribe(base + "/a+", mqtt::Qos::at_least_once), InvalidInput)
        << "a misplaced + in a filter";
    SCOPED_TRACE(
        "the largest allowed payload, then a sentinel: they must be the first messages the broker saw");
    publisher.publish(base + "/max", std::string(1024, 'y'), mqtt::Qos::at_least_once);
    publisher.publish(base + "/sentinel", "end", mqtt::Qos::at_least_once);
    auto first = watcher.next_message(10s);
    ASSERT_TRUE(first) << "nothing arrived";
    EXPECT_EQ(first->topic, base + "/max") << "something was sent before it";
    EXPECT_EQ(first->payload.size(), 1024U);
    auto second = watcher.next_message(10s);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->topic, base + "/sentinel");
}

GRADED_TEST(Lab08Client, RetainedReachesALateSubscriberAndAnEmptyPayloadClearsIt, 3) {
    TestBroker broker;
    const std::string topic = unique_name("retained") + "/temperature";
    Client publisher(test_options(broker).build());
    publisher.connect();
    publisher.publish(topic, "21.5", mqtt::Qos::at_least_once, mqtt::Retain::yes);
    ASSERT_TRUE(publisher.flush(10s));
    {
        SCOPED_TRACE("a subscriber that arrives later still gets the retained value, flagged retained");
        Client late(test_options(broker).build());
        late.connect();
        late.subscribe(topic, mqtt::Qos::at_least_once);
        const auto message = late.next_message(10s);
        ASSERT_TRUE(message) << "the retained message did not reach a late subscriber";
        EXPECT_EQ(message->payload, "21.5");
        EXPECT_TRUE(message->retained);
    }
    SCOPED_TRACE("an empty retained payload clears it: the next late subscriber gets nothing retained");
    publisher.publish(topic, "", mqtt::Qos::at_least_once, mqtt::Retain::yes);
    ASSERT_TRUE(publisher.flush(10s));
    Client later(test_options(broker).build());
    later.connect();
    later.subscribe(topic, mqtt::Qos::at_least_once);
    publisher.publish(topic, "live", mqtt::Qos::at_least_once, mqtt::Retain::no);
    const auto message = later.next_message(10s);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->payload, "live") << "a retained message was still delivered after clearing";
    EXPECT_FALSE(message->retained);
}

GRADED_TEST(Lab08Client, WillIsPublishedWhenKilledNotOnCleanDisconnect, 3) {
    TestBroker broker;
    const std::string base = unique_name("will");
    Client watcher(test_options(broker).build());
    watcher.connect();
    watcher.subscribe(base + "/#", mqtt::Qos::at_least_once);
    const auto pub_args = [&](const std::string& id) {
        auto args = broker.address_args();
        args.insert(args.end(), {"-i", id, "-t", base + "/data", "-q", "1", "-l", "--will-topic",
                                 base + "/status", "--will-payload", "gone:" + id, "--will-qos", "1"});
        return args;
    };
    {
        SCOPED_TRACE("a clean exit: mqtt_pub -l reaches EOF, sends DISCONNECT, the will is discarded");
        ChildProcess clean("mqtt_pub", pub_args("clean"));
        clean.write_stdin("hello\n");
        const auto data = wait_for_topic(watcher, base + "/data", 10s);
        ASSERT_TRUE(data) << "mqtt_pub -l did not publish (stderr: " << clean.stderr_text() << ")";
        clean.close_stdin();
        ASSERT_EQ(clean.wait_exit(10s), 0) << clean.stderr_text();
    }
    {
        SCOPED_TRACE("SIGKILL: no DISCONNECT, so the broker publishes the will");
        ChildProcess killed("mqtt_pub", pub_args("killed"));
        killed.write_stdin("hello\n");
        ASSERT_TRUE(wait_for_topic(watcher, base + "/data", 10s)) << killed.stderr_text();
        killed.send_signal(SIGKILL);
        ASSERT_TRUE(killed.wait_exit(10s));
        const auto will = wait_for_topic(watcher, base + "/status", 10s);
        ASSERT_TRUE(will) << "the will of a killed client never came";
        EXPECT_EQ(will->payload, "gone:killed") << "the clean client's will was published: it should not be";
    }
}

GRADED_TEST(Lab08Client, PersistentSessionKeepsMessagesWhileOffline, 3) {
    TestBroker broker;
    const std::string topic = unique_name("session") + "/inbox";
    const std::string id = unique_id("subscriber");
    {
        SCOPED_TRACE("first visit: subscribe in a persistent session, then leave");
        Client subscriber(test_options(broker, id).persistent().build());
        subscriber.connect();
        subscriber.subscribe(topic, mqtt::Qos::at_least_once);
        subscriber.disconnect();
    }
    Client publisher(test_options(broker).build());
    publisher.connect();
    for (int i = 1; i <= 5; ++i) {
        publisher.publish(topic, "offline-" + std::to_string(i), mqtt::Qos::at_least_once);
    }
    ASSERT_TRUE(publisher.flush(10s));
    SCOPED_TRACE("second visit with the same id: the broker kept the session and queued all five");
    Client subscriber(test_options(broker, id).persistent().build());
    EXPECT_TRUE(subscriber.connect()) << "the broker says the session is not present";
    for (int i = 1; i <= 5; ++i) {
        const auto message = subscriber.next_message(10s);
        ASSERT_TRUE(message) << "message " << i << " of 5 never arrived";
        EXPECT_EQ(message->payload, "offline-" + std::to_string(i));
    }
}

GRADED_TEST(Lab08Client, Qos2DeliversEveryNumberExactlyOnce, 3) {
    TestBroker broker;
    const std::string topic = unique_name("qos2");
    constexpr int kCount = 2000;
    Client subscriber(test_options(broker).build());
    Client publisher(test_options(broker).build());  // the default window of 20: mosquitto's limit for QoS 2
    subscriber.connect();
    publisher.connect();
    subscriber.subscribe(topic, mqtt::Qos::exactly_once);
    for (int i = 1; i <= kCount; ++i) {
        publisher.publish(topic, std::to_string(i), mqtt::Qos::exactly_once);
    }
    ASSERT_TRUE(publisher.flush(30s)) << "not every QoS 2 message was acknowledged";
    auto seen = collect_numbers(subscriber, kCount, 30s);
    EXPECT_FALSE(subscriber.next_message(100ms)) << "a message arrived after all " << kCount;
    int missing = 0;
    int duplicated = 0;
    for (int i = 1; i <= kCount; ++i) {
        missing += seen[i] == 0;
        duplicated += seen[i] > 1;
    }
    EXPECT_EQ(missing, 0) << "QoS 2 lost messages";
    EXPECT_EQ(duplicated, 0) << "QoS 2 delivered some messages twice";
}

GRADED_TEST(Lab08Client, Qos1SurvivesABrokerRestart, 4) {
    TestBroker broker(true);
    LAB08_NEED_EMBEDDED_BROKER(broker);
    const std::string topic = unique_name("restart");
    constexpr int kCount = 1500;
    Client subscriber(test_options(broker, unique_id("sub")).persistent().build());
    Client publisher(test_options(broker, unique_id("pub")).persistent().build());
    subscriber.connect();
    publisher.connect();
    subscriber.subscribe(topic, mqtt::Qos::at_least_once);
    SCOPED_TRACE(
        "publish 1000 without waiting, stop the broker with up to 20 of them in flight (SIGTERM: "
        "it saves its sessions), start it again on the same port, publish the rest");
    int next = 1;
    for (; next <= 2 * kCount / 3; ++next) {
        publisher.publish(topic, std::to_string(next), mqtt::Qos::at_least_once);
    }
    broker.embedded()->stop(SIGTERM);
    ASSERT_TRUE(wait_until([&] { return !publisher.is_connected() && !subscriber.is_connected(); }, 10s))
        << "the clients did not notice the broker going away";
    broker.embedded()->start();
    ASSERT_TRUE(wait_until([&] { return publisher.is_connected(); }, 20s))
        << "the publisher did not reconnect";
    for (; next <= kCount; ++next) {
        publisher.publish(topic, std::to_string(next), mqtt::Qos::at_least_once);
    }
    ASSERT_TRUE(publisher.flush(20s)) << "not every message was acknowledged after the restart; broker log:\n"
                                      << broker.embedded()->log();
    auto seen = collect_numbers(subscriber, kCount, 20s);
    int missing = 0;
    int duplicates = 0;
    for (int i = 1; i <= kCount; ++i) {
        missing += seen[i] == 0;
        duplicates += seen[i] > 1 ? seen[i] - 1 : 0;
    }
    EXPECT_EQ(missing, 0) << "QoS 1 lost messages across the restart";
    EXPECT_GE(publisher.reconnects(), 1U);
    EXPECT_GE(subscriber.reconnects(), 1U);
    RecordProperty("duplicates", duplicates);
    std::printf("QoS 1 through a broker restart: %d messages, %d duplicates (allowed), %zu resent by us\n",
                kCount, duplicates, publisher.resent());
}

}  // namespace
}  // namespace netlab::testing
