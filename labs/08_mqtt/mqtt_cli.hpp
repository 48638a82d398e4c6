#pragma once
// This file shows:
//  - a command line that mirrors mosquitto_pub/mosquitto_sub, so muscle memory carries over:
//    -h is the HOST (as in mosquitto), --help is help; -t may repeat;
//  - where the broker comes from, in order: -L/--url, then -h/-p, then $MQTT_BROKER, then
//    localhost:1883 (mosquitto's default);
//  - the same strictness as every netlab program: a bad argument is an error, usage, exit 2.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "08_mqtt/client_options.hpp"

namespace netlab::mqtt {

/// A mosquitto-style parser: "-t VALUE", "--topic VALUE", "--topic=VALUE", flags, repeatable options.
class MqttCommandLine {
public:
    /// program is the display name; summary the one line --help prints first.
    MqttCommandLine(std::string program, std::string summary);

    /// Declares an option with a value. short_name may be "" (long only). repeatable keeps every value.
    MqttCommandLine& option(std::string short_name, std::string long_name, std::string metavar,
                            std::string help, bool repeatable = false);
    /// Declares a flag without a value.
    MqttCommandLine& flag(std::string short_name, std::string long_name, std::string help);
    /// Declares -h/-p/-L/-i/-k/-V, the connection options every MQTT program shares.
    MqttCommandLine& connection_options();

    /// Parses argv; throws netlab::UsageError on anything unexpected. False when --help was asked.
    bool parse(int argc, char** argv);

    /// The last value of an option, or nullopt.
    [[nodiscard]] std::optional<std::string> get(const std::string& long_name) const;
    /// Every value of a repeatable option, in order.
    [[nodiscard]] std::vector<std::string> all(const std::string& long_name) const;
    /// True when the flag or option was given.
    [[nodiscard]] bool has(const std::string& long_name) const;
    /// The option as a whole number in [min, max], or fallback when absent; UsageError otherwise.
    [[nodiscard]] std::uint64_t number(const std::string& long_name, std::uint64_t min, std::uint64_t max,
                                       std::uint64_t fallback) const;

    /// "tcp://HOST:PORT" from -L, -h/-p, $MQTT_BROKER or the default; UsageError when malformed.
    [[nodiscard]] std::string broker_uri() const;
    /// The topic path of an -L mqtt://host:port/topic URL, if there was one.
    [[nodiscard]] std::optional<std::string> url_topic() const;
    /// -V as paho's number: 4 for "311"/"mqttv311" (the default), 5 for "5"/"mqttv5".
    [[nodiscard]] int mqtt_version() const;

    /// The usage text --help prints.
    [[nodiscard]] std::string usage() const;

private:
    struct Spec {
        std::string short_name;
        std::string long_name;
        std::string metavar;  // empty for a flag
        std::string help;
        bool repeatable = false;
    };
    const Spec* find(const std::string& name) const;

    std::string program_;
    std::string summary_;
    std::vector<Spec> specs_;
    std::map<std::string, std::vector<std::string>> values_;
};

/// Throws UsageError naming option unless topic is a valid MQTT topic name (no wildcards).
void require_topic_name(const std::string& option, const std::string& topic);
/// Throws UsageError naming option unless filter is a valid MQTT topic filter.
void require_topic_filter(const std::string& option, const std::string& filter);

/// Parses, then runs body: --help -> usage, exit 0; UsageError -> error + usage on stderr, exit 2;
/// any other exception -> "error: <what>" on stderr, exit 1.
int run_mqtt_main(MqttCommandLine& cli, int argc, char** argv,
                  const std::function<int(const MqttCommandLine&)>& body);

}  // namespace netlab::mqtt
