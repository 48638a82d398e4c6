// Lab 08, what a reconnect restores: the subscriptions the broker granted, never one it refused.
// A scripted broker (fake_broker) refuses one filter, grants another, drops the connection, and
// records the SUBSCRIBE the client sends once it is back. Also: a Client stays where it was built.

#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "08_mqtt/client.hpp"
#include "deadline.hpp"
#include "fake_broker.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using namespace std::chrono_literals;

/// The topic filters of an MQTT 3.1.1 SUBSCRIBE body: packet id, then (length, filter, options)...
std::optional<std::vector<std::string>> filters_of(const RawPacket& packet) {
    if ((packet.first & 0xf0) != 0x80 || packet.body.size() < 2) {
        return std::nullopt;
    }
    std::vector<std::string> filters;
    std::size_t at = 2;
    while (at < packet.body.size()) {
        if (at + 2 > packet.body.size()) {
            return std::nullopt;
        }
        const std::size_t length =
            static_cast<std::size_t>(static_cast<unsigned char>(packet.body[at])) * 256 +
            static_cast<unsigned char>(packet.body[at + 1]);
        if (at + 2 + length + 1 > packet.body.size()) {
            return std::nullopt;
        }
        filters.push_back(packet.body.substr(at + 2, length));
        at += 2 + length + 1;
    }
    return filters;
}

/// SUBACK for packet (its packet id) with one reason code per filter.
std::string suback(const RawPacket& packet, const std::string& codes) {
    return fixed_header(0x90, 2 + codes.size()) + packet.body.substr(0, 2) + codes;
}

GRADED_TEST(Lab08Client, ReconnectResubscribesOnlyWhatTheBrokerGranted, 4) {
    const std::string refused = "private/#";
    const std::string granted = "site/+/sensor/+";
    std::mutex mutex;
    std::vector<std::vector<std::string>> resubscribed;  // the SUBSCRIBEs after the first connection
    FakeBroker broker([&](int fd, int connection) {
        const auto connect = read_packet(fd, 5s);
        if (!connect || connect->first != 0x10 ||
            !send_within(fd, std::string("\x20\x02\x00\x00", 4), 5s)) {  // CONNACK: accepted
            return;
        }
        if (connection == 1) {  // refuse one filter, grant the other, then drop the connection
            for (int i = 0; i < 2; ++i) {
                const auto subscribe = read_packet(fd, 5s);
                const auto filters = subscribe ? filters_of(*subscribe) : std::nullopt;
                if (!filters || filters->size() != 1) {
                    return;
                }
                const char code = filters->front() == refused ? '\x80' : '\x00';
                if (!send_within(fd, suback(*subscribe, std::string(1, code)), 5s)) {
                    return;
                }
            }
            return;
        }
        const auto subscribe = read_packet(fd, 5s);
        const auto filters = subscribe ? filters_of(*subscribe) : std::nullopt;
        if (!filters) {
            return;
        }
        {
            std::lock_guard lock(mutex);
            resubscribed.push_back(*filters);
        }
        send_within(fd, suback(*subscribe, std::string(filters->size(), '\0')), 5s);
        read_to_eof(fd, 10s);  // until the client disconnects
    });
    mqtt::Client client(mqtt::ClientOptionsBuilder("tcp://127.0.0.1:" + std::to_string(broker.port()), "")
                            .connect_timeout(5s)
                            .keep_alive(10s)
                            .auto_reconnect(true, 1s, 2s)
                            .build());
    client.connect();
    SCOPED_TRACE("the broker refuses " + refused + " (SUBACK 0x80) and grants " + granted);
    EXPECT_THROW(client.subscribe(refused, mqtt::Qos::at_least_once), mqtt::ClientError)
        << "a refused subscription was reported as a success";
    client.subscribe(granted, mqtt::Qos::at_least_once);
    SCOPED_TRACE("the broker drops the connection; paho reconnects and the client resubscribes");
    const auto first_resubscribe = [&]() -> std::optional<std::vector<std::string>> {
        std::lock_guard lock(mutex);
        return resubscribed.empty() ? std::nullopt : std::optional(resubscribed.front());
    };
    ASSERT_TRUE(wait_until([&] { return first_resubscribe().has_value(); }, 15s))
        << "no SUBSCRIBE after the reconnect (" << broker.connections() << " connections, "
        << client.reconnects() << " reconnects seen by the client)";
    EXPECT_EQ(*first_resubscribe(), std::vector<std::string>{granted})
        << "the resubscribe must carry exactly the granted filter";
    EXPECT_EQ(client.reconnects(), 1U);
}

REFERENCE_TEST(Lab08Client, ClientIsNeitherCopiedNorMoved) {
    // paho's callbacks hold the Client's address: a copy or a move would leave them pointing at the old one.
    static_assert(!std::is_copy_constructible_v<mqtt::Client>);
    static_assert(!std::is_copy_assignable_v<mqtt::Client>);
    static_assert(!std::is_move_constructible_v<mqtt::Client>);
    static_assert(!std::is_move_assignable_v<mqtt::Client>);
    SUCCEED();
}

}  // namespace
}  // namespace netlab::testing
