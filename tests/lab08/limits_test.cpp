// Lab 08, bounded messages: a subscriber drops and reports a payload over --max-message; a huge
// declared length costs only what arrives; under MQTT 5 the broker itself holds back what is over
// the limit (CONNECT's Maximum Packet Size); mqtt_pub -l checks the limit while it reads a line.

#include <string>
#include <vector>

#include "child_process.hpp"
#include "cli_contract.hpp"
#include "deadline.hpp"
#include "fake_broker.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"
#include "process_usage.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using mqtt::Client;
using mqtt::ClientOptionsBuilder;

std::vector<std::string> fake_address(const FakeBroker& broker) {
    return {"-h", "127.0.0.1", "-p", std::to_string(broker.port())};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

GRADED_TEST(Lab08Options, Mqtt5ConnectAsksForAMaximumPacketSize, 2) {
    const PahoHeapGuard heap;
    const auto options =
        ClientOptionsBuilder("tcp://127.0.0.1:1", "x").mqtt_version(5).max_payload(4096).build();
    const auto connect = mqtt::to_connect_options(options);
    const auto& properties = connect.get_properties();
    ASSERT_TRUE(properties.contains(::mqtt::property::MAXIMUM_PACKET_SIZE))
        << "an MQTT 5 CONNECT without Maximum Packet Size: the broker sends messages of any size";
    EXPECT_EQ(::mqtt::get<int32_t>(properties, ::mqtt::property::MAXIMUM_PACKET_SIZE, 0),
              static_cast<int32_t>(4096 + mqtt::kPublishHeaderRoom));
    const auto persistent = mqtt::to_connect_options(
        ClientOptionsBuilder("tcp://127.0.0.1:1", "x").mqtt_version(5).persistent().build());
    EXPECT_TRUE(persistent.get_properties().contains(::mqtt::property::MAXIMUM_PACKET_SIZE));
    EXPECT_TRUE(persistent.get_properties().contains(::mqtt::property::SESSION_EXPIRY_INTERVAL))
        << "the session expiry must stay beside the packet size";
    EXPECT_THROW(ClientOptionsBuilder("tcp://127.0.0.1:1", "x").max_payload(0), std::invalid_argument);
}

REFERENCE_TEST(Lab08Limits, SubscriberDropsAndReportsAMessageOverMaxMessage) {
    const std::string big(2 * 1024 * 1024, 'x');
    FakeBroker broker([&big](int fd, int) {
        if (accept_session(fd)) {
            send_within(fd, publish_packet("big/\x1b[2J", big) + publish_packet("small", "ok"), 10s);
            read_to_eof(fd, 10s);
        }
    });
    const auto outcome = run_to_exit("mqtt_sub", with(fake_address(broker), {"-t", "#", "-C", "1", "-v"}));
    EXPECT_EQ(outcome.status, 0) << outcome.err;
    EXPECT_EQ(outcome.out, "small ok\n")
        << "the 2 MiB message was not dropped (stdout: " << outcome.out.size() << " bytes)";
    EXPECT_NE(outcome.err.find("dropped a message of 2097152 bytes on topic 'big/\\e[2J'"), std::string::npos)
        << "the drop is not reported, or its topic is not escaped: " << outcome.err.substr(0, 500);
    EXPECT_NE(outcome.err.find("1048576"), std::string::npos) << "the limit is not named";
}

REFERENCE_TEST(Lab08Limits, HugeDeclaredLengthCostsOnlyWhatArrivesAndIsReported) {
    SCOPED_TRACE("a PUBLISH declaring 268,435,455 bytes, then 16 MiB of it, then the connection closes");
    FakeBroker broker([](int fd, int connection) {
        if (!accept_session(fd) || connection > 1) {
            return;
        }
        const std::string chunk(1024 * 1024, 'x');
        std::string start = fixed_header(0x30, 268'435'455) + std::string("\x00\x01t", 3);
        send_within(fd, start, 5s);
        for (int i = 0; i < 16 && send_within(fd, chunk, 5s); ++i) {
        }
    });
    ChildProcess sub("mqtt_sub", with(fake_address(broker), {"-t", "#"}));
    const bool reported =
        wait_until([&sub] { return sub.stderr_text().find("lost") != std::string::npos; }, 20s);
    const auto peak_kib = memory_kib(sub.pid(), "VmHWM");
    sub.send_signal(SIGTERM);
    EXPECT_TRUE(sub.wait_exit(10s).has_value());
    EXPECT_TRUE(reported) << "the lost connection was not reported on stderr: " << sub.stderr_text();
    ASSERT_TRUE(peak_kib.has_value());
    EXPECT_LT(*peak_kib, 150U * 1024U) << "peak RSS " << *peak_kib << " KiB";
}

REFERENCE_TEST(Lab08Limits, Mqtt5BrokerHoldsBackWhatIsOverTheLimit) {
    TestBroker broker;
    const std::string topic = unique_name("limit");
    Client v5(test_options(broker).mqtt_version(5).max_payload(64 * 1024).build());
    Client v311(test_options(broker).max_payload(64 * 1024).build());
    v5.connect();
    v311.connect();
    v5.subscribe(topic + "/#", mqtt::Qos::at_most_once);
    v311.subscribe(topic + "/#", mqtt::Qos::at_most_once);
    SCOPED_TRACE(
        "400,000 bytes: over 64 KiB, and over the Maximum Packet Size of 64 KiB + kPublishHeaderRoom");
    auto args = broker.address_args();
    args.insert(args.end(), {"-q", "1", "-t", topic + "/big", "-s"});
    ChildProcess big(system_program("/usr/bin/mosquitto_pub"), args);
    big.write_stdin(std::string(400 * 1000, 'x'));
    big.close_stdin();
    const auto big_status = big.wait_exit(10s);
    ASSERT_EQ(big_status, 0) << describe_exit(big_status) << ": " << big.stderr_text();
    args = broker.address_args();
    args.insert(args.end(), {"-q", "1", "-t", topic + "/small", "-m", "ok"});
    ASSERT_EQ(run_to_exit(system_program("/usr/bin/mosquitto_pub"), args).status, 0);
    for (Client* client : {&v5, &v311}) {
        SCOPED_TRACE(client == &v5 ? "MQTT 5: the broker drops it" : "MQTT 3.1.1: our callback drops it");
        const auto first = client->next_message(10s);
        ASSERT_TRUE(first) << "nothing arrived";
        EXPECT_EQ(first->topic, topic + "/small") << "a message over the limit was delivered";
    }
    EXPECT_EQ(v5.dropped_oversize(), 0U) << "under MQTT 5 the broker must not have sent it at all";
    EXPECT_EQ(v311.dropped_oversize(), 1U);
    const auto notice = v311.next_notice(1s);
    ASSERT_TRUE(notice);
    EXPECT_NE(notice->find("dropped a message of 400000 bytes"), std::string::npos) << *notice;
}

REFERENCE_TEST(Lab08Limits, PublisherRefusesAnOverlongStdinLineWhileReading) {
    TestBroker broker;
    const std::string topic = unique_name("lines");
    Client watcher(test_options(broker).build());
    watcher.connect();
    watcher.subscribe(topic, mqtt::Qos::at_least_once);
    ChildProcess pub("mqtt_pub",
                     with(broker.address_args(), {"-t", topic, "-q", "1", "-l", "--max-message", "1000"}));
    pub.write_stdin("first\n" + std::string(5000, 'x') + "\nlast\n");
    pub.close_stdin();
    const auto status = pub.wait_exit(20s);
    EXPECT_EQ(status, 1) << describe_exit(status) << ": " << pub.stderr_text();
    EXPECT_NE(pub.stderr_text().find("stdin line 2 is longer than 1000 bytes"), std::string::npos)
        << pub.stderr_text();
    const auto first = wait_for_topic(watcher, topic, 10s);
    ASSERT_TRUE(first) << "the line before the long one was not delivered";
    EXPECT_EQ(first->payload, "first");
}

}  // namespace
}  // namespace netlab::testing
