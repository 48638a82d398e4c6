// Lab 08, the IoT pair: the telemetry format as a pure function, then a sensor and the dashboard
// through the broker: retained online status, live readings, and "offline" from the will when the
// sensor is killed.

#include <signal.h>

#include <string>

#include "08_mqtt/telemetry.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab08_helpers.hpp"

namespace netlab::testing {
namespace {

GRADED_TEST(Lab08Telemetry, RoundTripsAndRejectsMalformedPayloads, 2) {
    const mqtt::Reading reading{"s-1", 42, 21.25, 40.5};
    const auto parsed = mqtt::parse_telemetry(mqtt::format_telemetry(reading));
    ASSERT_TRUE(parsed) << mqtt::format_telemetry(reading);
    EXPECT_EQ(parsed->sensor, "s-1");
    EXPECT_EQ(parsed->seq, 42U);
    EXPECT_DOUBLE_EQ(parsed->temperature_c, 21.25);
    EXPECT_DOUBLE_EQ(parsed->humidity_pct, 40.5);
    EXPECT_TRUE(
        mqtt::parse_telemetry(R"({"seq": 1, "humidity_pct": 2, "temperature_c": -3.5, "sensor": "a"})"));
    for (const char* bad :
         {"", "{}", "not json", R"({"sensor":"a","seq":-1,"temperature_c":1,"humidity_pct":2})",
          R"({"sensor":"a/b","seq":1,"temperature_c":1,"humidity_pct":2})",
          R"({"sensor":"a","seq":1,"temperature_c":"hot","humidity_pct":2})"}) {
        EXPECT_FALSE(mqtt::parse_telemetry(bad)) << bad;
    }
}

GRADED_TEST(Lab08Iot, SensorShowsOnTheDashboardAndItsWillSaysOffline, 4) {
    TestBroker broker;
    const std::string site = unique_id("iot");
    auto sensor_args = broker.address_args();
    sensor_args.insert(sensor_args.end(), {"--site", site, "--sensor", "probe", "--interval-ms", "20"});
    ChildProcess sensor("iot_sensor", sensor_args);
    ASSERT_TRUE(sensor.read_line(15s)) << "iot_sensor did not start: " << sensor.stderr_text();
    auto dashboard_args = broker.address_args();
    dashboard_args.insert(dashboard_args.end(), {"--refresh-ms", "100", "-C", "40"});
    ChildProcess dashboard("iot_dashboard", dashboard_args);
    const auto table = dashboard.read_all_stdout(20s);
    ASSERT_TRUE(table) << "iot_dashboard -C 40 did not finish: " << dashboard.stderr_text();
    EXPECT_NE(table->find(site), std::string::npos) << *table;
    EXPECT_NE(table->find("online"), std::string::npos)
        << "the retained status did not reach the dashboard:\n"
        << *table;
    SCOPED_TRACE("kill the sensor: the broker publishes its will, the retained status becomes offline");
    mqtt::Client watcher(test_options(broker).build());
    watcher.connect();
    const std::string status_topic = "site/" + site + "/sensor/probe/status";
    watcher.subscribe(status_topic, mqtt::Qos::at_least_once);
    const auto online = watcher.next_message(10s);
    ASSERT_TRUE(online) << "no retained status for a late subscriber";
    EXPECT_EQ(online->payload, "online");
    EXPECT_TRUE(online->retained);
    sensor.send_signal(SIGKILL);
    ASSERT_TRUE(sensor.wait_exit(10s));
    const auto offline = watcher.next_message(15s);
    ASSERT_TRUE(offline) << "the will of the killed sensor never came";
    EXPECT_EQ(offline->payload, "offline");
    // Clear the retained status: leave no trace on a shared broker.
    watcher.publish(status_topic, "", mqtt::Qos::at_least_once, mqtt::Retain::yes);
    EXPECT_TRUE(watcher.flush(10s));
}

}  // namespace
}  // namespace netlab::testing
