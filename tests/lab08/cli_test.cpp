// Lab 08, the command-line contract of every program: --help prints usage and exits 0; a bad
// argument prints an error and usage and exits 2; bad input (a wildcard in a publish topic) is
// refused as a usage error before any connection is made.

#include <string>
#include <vector>

#include "cli_contract.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab08Cli, HelpPrintsUsageAndExitsZero, 1) {
    expect_help_contract({"mqtt_pub", "mqtt_sub", "iot_sensor", "iot_dashboard", "embedded_mosquitto"});
    const auto pub = run_to_exit("mqtt_pub", {"--help"});
    for (const char* flag :
         {"-h, --host", "-p, --port", "-L, --url", "-t, --topic", "-m, --message", "-l, --stdin-line",
          "-q, --qos", "-r, --retain", "-i, --id", "--will-topic", "--repeat"}) {
        EXPECT_NE(pub.out.find(flag), std::string::npos) << "mqtt_pub --help does not list " << flag;
    }
    const auto sub = run_to_exit("mqtt_sub", {"--help"});
    for (const char* flag :
         {"-t, --topic", "-q, --qos", "-C, --count", "-v, --verbose", "-c, --disable-clean-session"}) {
        EXPECT_NE(sub.out.find(flag), std::string::npos) << "mqtt_sub --help does not list " << flag;
    }
}

GRADED_TEST(Lab08Cli, BadArgumentsExitTwoWithUsage, 2) {
    expect_refused({
        {"mqtt_pub", {"--no-such-flag"}},
        {"mqtt_pub", {"-t", "a", "-m", "x", "-q", "3"}},
        {"mqtt_pub", {"-t", "a"}},
        {"mqtt_pub", {"-t", "a", "-m", "x", "-p", "70000"}},
        {"mqtt_pub", {"-t", "a", "-m", "x", "-L", "http://example/"}},
        {"mqtt_pub", {"-t", "a", "-m", "x", "-t", "b"}},
        {"mqtt_pub", {"-t", "a", "-m", "x", "--will-payload", "bye"}},
        {"mqtt_sub", {"-q", "1"}},
        {"mqtt_sub", {"-t", "a", "-c"}},
        {"mqtt_sub", {"-t", "a", "-V", "4"}},
        {"mqtt_sub", {"-t", "a", "-C", "0"}},
        {"iot_sensor", {"--sensor", "bad/name"}},
        {"iot_dashboard", {"--refresh-ms", "x"}},
        {"embedded_mosquitto", {"--listen", "0.0.0.0:0"}},
    });
}

GRADED_TEST(Lab08Cli, WildcardPublishTopicIsRefusedBeforeSending, 1) {
    TestBroker broker;
    auto args = broker.address_args();
    args.insert(args.end(), {"-t", "site/+/sensor", "-m", "x"});
    const auto outcome = run_to_exit("mqtt_pub", args);
    EXPECT_EQ(outcome.status, 2) << outcome.err;
    EXPECT_NE(outcome.err.find("error: -t: topic 'site/+/sensor'"), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find("wildcard"), std::string::npos) << outcome.err;
}

}  // namespace
}  // namespace netlab::testing
