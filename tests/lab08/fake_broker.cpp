#include "fake_broker.hpp"

#include "test_socket.hpp"

namespace netlab::testing {

FakeBroker::FakeBroker(Scenario scenario) : listener_(listen_loopback()), scenario_(std::move(scenario)) {
    port_ = bound_port(listener_.get());
    thread_ = std::thread([this] {
        while (!stop_.load()) {
            UniqueFd connection = accept_within(listener_.get(), std::chrono::milliseconds(50));
            if (connection) {
                scenario_(connection.get(), ++connections_);
            }
        }
    });
}

FakeBroker::~FakeBroker() {
    stop_ = true;
    thread_.join();
}

std::optional<RawPacket> read_packet(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto left = [&deadline] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                     std::chrono::steady_clock::now());
    };
    const auto first = read_exactly(fd, 1, left());
    if (!first) {
        return std::nullopt;
    }
    std::size_t remaining = 0;
    for (int shift = 0; shift < 28; shift += 7) {
        const auto digit = read_exactly(fd, 1, left());
        if (!digit) {
            return std::nullopt;
        }
        const auto value = static_cast<unsigned char>((*digit)[0]);
        remaining |= static_cast<std::size_t>(value & 0x7f) << shift;
        if ((value & 0x80) == 0) {
            break;
        }
    }
    if (remaining > 64 * 1024) {
        return std::nullopt;
    }
    auto body = remaining == 0 ? std::optional<std::string>("") : read_exactly(fd, remaining, left());
    if (!body) {
        return std::nullopt;
    }
    return RawPacket{static_cast<unsigned char>((*first)[0]), std::move(*body)};
}

std::string fixed_header(unsigned char first, std::size_t remaining) {
    std::string out(1, static_cast<char>(first));
    do {
        auto digit = static_cast<unsigned char>(remaining % 128);
        remaining /= 128;
        if (remaining > 0) {
            digit |= 0x80;
        }
        out += static_cast<char>(digit);
    } while (remaining > 0);
    return out;
}

std::string publish_packet(const std::string& topic, const std::string& payload) {
    std::string variable{static_cast<char>(topic.size() >> 8), static_cast<char>(topic.size() & 0xff)};
    variable += topic;
    return fixed_header(0x30, variable.size() + payload.size()) + variable + payload;
}

bool accept_session(int fd) {
    const auto connect = read_packet(fd, std::chrono::seconds(5));
    if (!connect || connect->first != 0x10 ||
        !send_within(fd, std::string("\x20\x02\x00\x00", 4), std::chrono::seconds(5))) {
        return false;
    }
    const auto subscribe = read_packet(fd, std::chrono::seconds(5));
    if (!subscribe || (subscribe->first & 0xf0) != 0x80 || subscribe->body.size() < 2) {
        return false;
    }
    return send_within(fd, std::string("\x90\x03", 2) + subscribe->body.substr(0, 2) + std::string(1, '\0'),
                       std::chrono::seconds(5));
}

}  // namespace netlab::testing
