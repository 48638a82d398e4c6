// Lab 08, interoperability both ways: the system's mosquitto_pub feeding our mqtt_sub, and our
// mqtt_pub feeding mosquitto_sub. Same flags, same output format, so either side can be swapped.

#include <string>
#include <vector>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

GRADED_TEST(Lab08Interop, MosquittoPubReachesOurMqttSub, 5) {
    TestBroker broker;
    const std::string base = unique_name("interop-in");
    ChildProcess sub("mqtt_sub", with(broker.address_args(), {"-t", base + "/+/temp", "-t", base + "/status",
                                                              "-q", "1", "-v", "-C", "3", "-d"}));
    ASSERT_TRUE(wait_until(
        [&] { return sub.stderr_text().find("subscribed to " + base + "/status") != std::string::npos; },
        15s))
        << "mqtt_sub -d never said it was subscribed; stderr: " << sub.stderr_text();
    const auto mosquitto_pub = system_program("/usr/bin/mosquitto_pub");
    for (const auto& [topic, payload] :
         std::vector<std::pair<std::string, std::string>>{{base + "/kitchen/temp", "21.5"},
                                                          {base + "/hall/temp", "19 degrees"},
                                                          {base + "/status", "ok"}}) {
        ChildProcess pub(mosquitto_pub, with(broker.address_args(), {"-t", topic, "-m", payload, "-q", "1"}));
        ASSERT_EQ(pub.wait_exit(10s), 0) << "mosquitto_pub failed: " << pub.stderr_text();
    }
    EXPECT_EQ(sub.read_line(10s), base + "/kitchen/temp 21.5");
    EXPECT_EQ(sub.read_line(10s), base + "/hall/temp 19 degrees");
    EXPECT_EQ(sub.read_line(10s), base + "/status ok");
    EXPECT_EQ(sub.wait_exit(10s), 0) << "mqtt_sub -C 3 did not exit after 3 messages: " << sub.stderr_text();
}

GRADED_TEST(Lab08Interop, OurMqttPubReachesMosquittoSub, 2) {
    TestBroker broker;
    const std::string topic = unique_name("interop-out");
    // stdbuf -oL: mosquitto_sub's stdout is a pipe here, and its -d lines would sit in a full buffer.
    ChildProcess sub(system_program("/usr/bin/stdbuf"),
                     with({"-oL", "/usr/bin/mosquitto_sub"},
                          with(broker.address_args(), {"-t", topic, "-q", "1", "-v", "-C", "4", "-d"})));
    ASSERT_TRUE(wait_for_line(sub, "Subscribed (mid: 1): 1", 15s))
        << "mosquitto_sub -d never reported its SUBACK; stderr: " << sub.stderr_text();
    SCOPED_TRACE("-m with --repeat, then -l: one message per stdin line over one connection");
    ChildProcess repeat(
        "mqtt_pub", with(broker.address_args(), {"-t", topic, "-m", "again", "-q", "1", "--repeat", "2"}));
    ASSERT_EQ(repeat.wait_exit(10s), 0) << repeat.stderr_text();
    ChildProcess lines("mqtt_pub", with(broker.address_args(), {"-t", topic, "-q", "1", "-l"}));
    lines.write_stdin("first line\nsecond line\n");
    lines.close_stdin();
    ASSERT_EQ(lines.wait_exit(10s), 0) << lines.stderr_text();
    std::vector<std::string> got;
    const auto deadline = Clock::now() + 10s;
    while (got.size() < 4 && Clock::now() < deadline) {
        const auto line = sub.read_line(std::chrono::milliseconds(millis_left(deadline)));
        if (!line) {
            break;
        }
        if (line->starts_with(topic + " ")) {  // -d adds "Client ... received PUBLISH" lines
            got.push_back(line->substr(topic.size() + 1));
        }
    }
    EXPECT_EQ(got, (std::vector<std::string>{"again", "again", "first line", "second line"}));
    EXPECT_EQ(sub.wait_exit(10s), 0);
}

}  // namespace
}  // namespace netlab::testing
