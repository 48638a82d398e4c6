// Lab 08, faults said plainly: a broker that closes, sends garbage or an empty CONNACK is named
// for what it did; each lost connection is reported; a bad topic is a usage error before any
// connection; embedded_mosquitto never announces a port another program holds.

#include <csignal>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "cli_contract.hpp"
#include "deadline.hpp"
#include "fake_broker.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

std::vector<std::string> fake_address(std::uint16_t port, std::vector<std::string> more) {
    std::vector<std::string> args{"-h", "127.0.0.1", "-p", std::to_string(port)};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

REFERENCE_TEST(Lab08Cli, ConnectFailuresSayWhatTheBrokerDid) {
    struct Case {
        const char* scenario;
        std::string reply;  // sent after CONNECT, then the connection closes
        const char* expected;
    };
    const std::vector<Case> cases{
        {"closes before CONNACK", "", "closed the connection before CONNACK"},
        {"a zero-length CONNACK", std::string("\x20\x00", 2), "sent a CONNACK too short to be one"},
        {"garbage", "HTTP/1.1 400 Bad Request\r\n\r\n",
         "sent something that is not an MQTT CONNACK: 'HTTP/1.1 400"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string("the broker ") + c.scenario);
        FakeBroker broker([&c](int fd, int) {
            if (read_packet(fd, 5s) && !c.reply.empty()) {
                send_within(fd, c.reply, 5s);
            }
        });
        for (const std::string program : {"mqtt_sub", "mqtt_pub"}) {
            const auto outcome = run_to_exit(
                program, fake_address(broker.port(), program == "mqtt_pub"
                                                         ? std::vector<std::string>{"-t", "a", "-m", "x"}
                                                         : std::vector<std::string>{"-t", "a"}));
            EXPECT_EQ(outcome.status, 1) << program << ": " << outcome.err;
            EXPECT_NE(outcome.err.find(c.expected), std::string::npos) << program << ": " << outcome.err;
            EXPECT_EQ(outcome.err.find("TCP connect completion failure"), std::string::npos) << outcome.err;
        }
    }
}

REFERENCE_TEST(Lab08Cli, SubscriberReportsEachLostConnection) {
    SCOPED_TRACE("a broker that sends a malformed PUBLISH (remaining length 1) after every SUBACK");
    FakeBroker broker([](int fd, int) {
        if (accept_session(fd)) {
            send_within(fd, std::string("\x30\x01\x00", 3), 5s);
            read_to_eof(fd, 5s);
        }
    });
    ChildProcess sub("mqtt_sub", fake_address(broker.port(), {"-t", "#"}));
    const auto count_lost = [&sub] {
        const std::string err = sub.stderr_text();
        int lost = 0;
        for (auto at = err.find("lost"); at != std::string::npos; at = err.find("lost", at + 1)) {
            ++lost;
        }
        return lost;
    };
    const bool twice = wait_until([&] { return count_lost() >= 2; }, 20s);
    sub.send_signal(SIGTERM);
    sub.wait_exit(10s);
    EXPECT_TRUE(twice) << "after " << broker.connections()
                       << " connections, stderr says: " << sub.stderr_text();
    EXPECT_NE(sub.stderr_text().find("reconnecting"), std::string::npos) << sub.stderr_text();
}

REFERENCE_TEST(Lab08Cli, BadTopicsAreUsageErrorsBeforeAnyConnection) {
    const UniqueFd listener = listen_loopback();
    const auto port = bound_port(listener.get());
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
        {"mqtt_sub", fake_address(port, {"-t", "ok/#", "-t", "a/#/b"})},
        {"mqtt_sub", fake_address(port, {"-t", "a+"})},
        {"mqtt_pub", fake_address(port, {"-t", "a/+", "-m", "x"})},
        {"mqtt_pub", fake_address(port, {"-t", "a", "-m", "x", "--will-topic", "w/#"})},
    };
    for (const auto& [program, args] : cases) {
        const auto outcome = run_to_exit(program, args);
        EXPECT_EQ(outcome.status, 2) << program << " " << args[5] << ": " << outcome.err;
        EXPECT_NE(outcome.err.find("usage:"), std::string::npos) << outcome.err;
    }
    EXPECT_FALSE(accept_within(listener.get(), 0ms)) << "a program connected before checking its topics";
}

REFERENCE_TEST(Lab08Cli, EmbeddedMosquittoRefusesAPortItCannotHold) {
    const UniqueFd held = listen_loopback();
    const std::string port = std::to_string(bound_port(held.get()));
    const auto outcome = run_to_exit("embedded_mosquitto", {"--listen", "127.0.0.1:" + port});
    EXPECT_NE(outcome.status, 0) << outcome.err;
    EXPECT_EQ(outcome.out.find("listening on"), std::string::npos)
        << "it announced a port another program holds: " << outcome.out;
    EXPECT_NE(outcome.err.find("127.0.0.1:" + port + " is already in use"), std::string::npos) << outcome.err;
}

}  // namespace
}  // namespace netlab::testing
