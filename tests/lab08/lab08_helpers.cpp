#include "lab08_helpers.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "common/endpoint.hpp"
#include "deadline.hpp"

namespace netlab::testing {

TestBroker::TestBroker(bool persistence) {
    const char* external = std::getenv("MQTT_BROKER");
    if (external != nullptr && *external != '\0') {
        std::string text = external;
        for (const char* scheme : {"tcp://", "mqtt://"}) {
            if (text.starts_with(scheme)) {
                text = text.substr(std::string(scheme).size());
            }
        }
        const auto endpoint = parse_host_port(text);
        if (!endpoint || endpoint->port == 0) {
            throw std::invalid_argument("MQTT_BROKER='" + std::string(external) + "' is not tcp://HOST:PORT");
        }
        host_ = endpoint->host;
        port_ = endpoint->port;
        return;
    }
    embedded_ = std::make_unique<broker::EmbeddedBroker>(broker::BrokerSettings{.persistence = persistence});
    host_ = "127.0.0.1";
    port_ = embedded_->port();
}

std::string TestBroker::url() const {
    return "tcp://" + host_ + ":" + std::to_string(port_);
}

std::vector<std::string> TestBroker::address_args() const {
    return {"-h", host_, "-p", std::to_string(port_)};
}

namespace {
std::atomic<int> counter{0};
}  // namespace

std::string unique_name(const std::string& what) {
    return "netlab-test/" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + what;
}

std::string unique_id(const std::string& what) {
    return "netlab-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + what;
}

mqtt::ClientOptionsBuilder test_options(const TestBroker& broker, const std::string& client_id) {
    mqtt::ClientOptionsBuilder builder(broker.url(), client_id);
    builder.connect_timeout(5s).keep_alive(10s).auto_reconnect(true, 1s, 2s);
    return builder;
}

std::string system_program(const std::string& absolute_path) {
    const std::filesystem::path bin = program_path("");
    return std::filesystem::path(absolute_path).lexically_relative(bin).string();
}

std::optional<mqtt::Message> wait_for_topic(mqtt::Client& client, const std::string& topic,
                                            std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        auto message = client.next_message(std::chrono::milliseconds(millis_left(deadline)));
        if (message && message->topic == topic) {
            return message;
        }
    }
    return std::nullopt;
}

std::map<int, int> collect_numbers(mqtt::Client& client, int count, std::chrono::milliseconds timeout) {
    std::map<int, int> seen;
    const auto deadline = Clock::now() + timeout;
    while (static_cast<int>(seen.size()) < count && Clock::now() < deadline) {
        if (const auto message = client.next_message(std::chrono::milliseconds(millis_left(deadline)))) {
            ++seen[std::stoi(message->payload)];
        }
    }
    return seen;
}

bool wait_for_line(ChildProcess& child, const std::string& expected, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        const auto line = child.read_line(std::chrono::milliseconds(millis_left(deadline)));
        if (!line) {
            return false;
        }
        if (*line == expected) {
            return true;
        }
    }
    return false;
}

}  // namespace netlab::testing
