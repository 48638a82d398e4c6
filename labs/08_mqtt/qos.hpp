#pragma once
// This file shows:
//  - MQTT's three delivery guarantees as a type, so a call says what it asks for:
//    publish(topic, payload, Qos::exactly_once, Retain::yes) instead of publish(topic, payload, 2, true);
//  - the retain flag as a named value, for the same reason.

#include <cstdint>
#include <optional>

namespace netlab::mqtt {

/// The delivery guarantee of a message or a subscription; the values are MQTT's QoS numbers.
enum class Qos : int { at_most_once = 0, at_least_once = 1, exactly_once = 2 };

/// Whether the broker keeps a message as its topic's retained value for later subscribers.
enum class Retain : bool { no = false, yes = true };

/// MQTT's number for qos (0, 1 or 2): what paho takes and what the wire carries.
[[nodiscard]] constexpr int to_int(Qos qos) noexcept {
    return static_cast<int>(qos);
}

/// True for the three levels MQTT has; false for any other value forced into a Qos.
[[nodiscard]] constexpr bool is_valid(Qos qos) noexcept {
    return to_int(qos) >= 0 && to_int(qos) <= 2;
}

/// The Qos numbered level, or nullopt when level is not 0, 1 or 2.
[[nodiscard]] constexpr std::optional<Qos> qos_from(std::int64_t level) noexcept {
    if (level < 0 || level > 2) {
        return std::nullopt;
    }
    return static_cast<Qos>(level);
}

}  // namespace netlab::mqtt
