// Lab 08, the command-line contract of every program: --help prints usage and exits 0; a bad
// argument prints an error and usage and exits 2; bad input (a wildcard in a publish topic) is
// refused with a clear error before any connection is made.

#include <string>
#include <vector>

#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

struct Outcome {
    std::optional<int> status;
    std::string out;
    std::string err;
};

Outcome run(const std::string& program, const std::vector<std::string>& args) {
    ChildProcess child(program, args);
    child.close_stdin();
    Outcome outcome;
    outcome.out = child.read_all_stdout(10s).value_or("");
    outcome.status = child.wait_exit(10s);
    outcome.err = child.stderr_text();
    return outcome;
}

GRADED_TEST(Lab08Cli, HelpPrintsUsageAndExitsZero, 1) {
    for (const char* program :
         {"mqtt_pub", "mqtt_sub", "iot_sensor", "iot_dashboard", "embedded_mosquitto"}) {
        const auto outcome = run(program, {"--help"});
        EXPECT_EQ(outcome.status, 0) << program;
        EXPECT_NE(outcome.out.find("usage: "), std::string::npos)
            << program << " --help printed: " << outcome.out;
    }
    const auto pub = run("mqtt_pub", {"--help"});
    for (const char* flag :
         {"-h, --host", "-p, --port", "-L, --url", "-t, --topic", "-m, --message", "-l, --stdin-line",
          "-q, --qos", "-r, --retain", "-i, --id", "--will-topic", "--repeat"}) {
        EXPECT_NE(pub.out.find(flag), std::string::npos) << "mqtt_pub --help does not list " << flag;
    }
    const auto sub = run("mqtt_sub", {"--help"});
    for (const char* flag :
         {"-t, --topic", "-q, --qos", "-C, --count", "-v, --verbose", "-c, --disable-clean-session"}) {
        EXPECT_NE(sub.out.find(flag), std::string::npos) << "mqtt_sub --help does not list " << flag;
    }
}

GRADED_TEST(Lab08Cli, BadArgumentsExitTwoWithUsage, 2) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
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
    };
    for (const auto& [program, args] : cases) {
        const auto outcome = run(program, args);
        std::string line = program;
        for (const auto& arg : args) {
            line += " " + arg;
        }
        EXPECT_EQ(outcome.status, 2) << line << "\nstderr: " << outcome.err;
        EXPECT_NE(outcome.err.find("error: "), std::string::npos) << line;
        EXPECT_NE(outcome.err.find("usage: "), std::string::npos) << line;
    }
}

GRADED_TEST(Lab08Cli, WildcardPublishTopicIsRefusedBeforeSending, 1) {
    TestBroker broker;
    auto args = broker.address_args();
    args.insert(args.end(), {"-t", "site/+/sensor", "-m", "x"});
    const auto outcome = run("mqtt_pub", args);
    EXPECT_EQ(outcome.status, 1) << outcome.err;
    EXPECT_NE(outcome.err.find("error: publish: topic 'site/+/sensor'"), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find("wildcard"), std::string::npos) << outcome.err;
}

}  // namespace
}  // namespace netlab::testing
