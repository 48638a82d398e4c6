// Lab 08, the builder and what it becomes: the paho connect and create options, checked field by
// field, without a broker.

#include <stdexcept>

#include "08_mqtt/client_options.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

using namespace std::chrono_literals;
using mqtt::ClientOptionsBuilder;

GRADED_TEST(Lab08Options, BuilderBecomesPahoConnectAndCreateOptions, 4) {
    const PahoHeapGuard heap;  // the MQTT 5 options below carry a property list
    const auto options =
        ClientOptionsBuilder("tcp://127.0.0.1:1", "sensor-7")
            .persistent()
            .keep_alive(7s)
            .max_inflight(150)
            .auto_reconnect(true, 2s, 16s)
            .max_buffered(500)
            .will({"site/a/sensor/7/status", "offline", mqtt::Qos::at_least_once, mqtt::Retain::yes})
            .build();
    const auto connect = mqtt::to_connect_options(options);
    EXPECT_EQ(connect.get_mqtt_version(), 4) << "MQTT 3.1.1 is the default, and paho 1.2 needs it here too";
    EXPECT_FALSE(connect.is_clean_session()) << "persistent() means clean_session = false";
    EXPECT_EQ(connect.get_keep_alive_interval(), 7s);
    EXPECT_EQ(connect.get_max_inflight(), 150);
    EXPECT_TRUE(connect.get_automatic_reconnect());
    EXPECT_EQ(connect.get_min_retry_interval(), 2s);
    EXPECT_EQ(connect.get_max_retry_interval(), 16s);
    ASSERT_NE(connect.get_will_message(), nullptr) << "the will is missing";
    EXPECT_EQ(connect.get_will_message()->get_topic(), "site/a/sensor/7/status");
    EXPECT_EQ(connect.get_will_message()->get_payload_str(), "offline");
    EXPECT_EQ(connect.get_will_message()->get_qos(), 1);
    EXPECT_TRUE(connect.get_will_message()->is_retained());
    const auto create = mqtt::to_create_options(options);
    EXPECT_TRUE(create.get_send_while_disconnected()) << "offline buffering is off";
    EXPECT_EQ(create.get_max_buffered_messages(), 500);

    const auto clean = mqtt::to_connect_options(ClientOptionsBuilder("tcp://127.0.0.1:1", "").build());
    EXPECT_TRUE(clean.is_clean_session());
    EXPECT_TRUE(clean.get_will_topic().empty()) << "a will nobody asked for";
    const auto v5 =
        mqtt::to_connect_options(ClientOptionsBuilder("tcp://127.0.0.1:1", "x").mqtt_version(5).build());
    EXPECT_EQ(v5.get_mqtt_version(), 5) << "MQTT 5 must be set in the connect options as well";
}

GRADED_TEST(Lab08Options, BuilderRefusesContradictions, 2) {
    EXPECT_THROW(ClientOptionsBuilder("tcp://127.0.0.1:1", "").persistent().build(), std::invalid_argument)
        << "a persistent session without a stable client id";
    EXPECT_THROW(ClientOptionsBuilder("", "x").build(), std::invalid_argument);
    EXPECT_THROW(ClientOptionsBuilder("tcp://127.0.0.1:1", "x").max_inflight(0), std::invalid_argument);
    EXPECT_THROW(ClientOptionsBuilder("tcp://127.0.0.1:1", "x").mqtt_version(3), std::invalid_argument);
    EXPECT_THROW(ClientOptionsBuilder("tcp://127.0.0.1:1", "x").auto_reconnect(true, 4s, 2s).build(),
                 std::invalid_argument);
}

}  // namespace
}  // namespace netlab::testing
