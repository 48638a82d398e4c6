#pragma once
// This file shows:
//  - what an MQTT program adds to netlab::CommandLine, as free functions over it: the connection
//    options of mosquitto_pub/mosquitto_sub, so muscle memory carries over (-h is the HOST, so only
//    --help asks for help);
//  - where the broker comes from, in order: -L/--url, then -h/-p, then $MQTT_BROKER, then
//    localhost:1883 (mosquitto's default);
//  - topics checked as arguments, before any connection: a bad one is a usage error (exit 2).

#include <cstdint>
#include <optional>
#include <string>

#include "08_mqtt/qos.hpp"
#include "common/cli.hpp"

namespace netlab::mqtt {

/// Declares -h/-p/-L/-i/-k/-V, the connection options every MQTT program shares, and makes --help
/// the only word that asks for help. Returns cli for chaining.
netlab::CommandLine& add_connection_options(netlab::CommandLine& cli);

/// The option as a whole number in [min, max], or fallback when it was not given; UsageError otherwise.
[[nodiscard]] std::uint64_t number_or(const netlab::CommandLine& cli, const std::string& long_name,
                                      std::uint64_t min, std::uint64_t max, std::uint64_t fallback);
/// The option as a QoS (0, 1 or 2), or fallback when it was not given; UsageError otherwise.
[[nodiscard]] Qos qos_or(const netlab::CommandLine& cli, const std::string& long_name, Qos fallback);

/// "tcp://HOST:PORT" from -L, -h/-p, $MQTT_BROKER or the default; UsageError when malformed.
[[nodiscard]] std::string broker_uri(const netlab::CommandLine& cli);
/// The topic path of an -L mqtt://host:port/topic URL, if there was one.
[[nodiscard]] std::optional<std::string> url_topic(const netlab::CommandLine& cli);
/// -V as paho's number: 4 for "311"/"mqttv311" (the default), 5 for "5"/"mqttv5"; UsageError otherwise.
[[nodiscard]] int mqtt_version(const netlab::CommandLine& cli);

/// Throws UsageError naming option unless topic is a valid MQTT topic name (no wildcards).
void require_topic_name(const std::string& option, const std::string& topic);
/// Throws UsageError naming option unless filter is a valid MQTT topic filter.
void require_topic_filter(const std::string& option, const std::string& filter);

}  // namespace netlab::mqtt
