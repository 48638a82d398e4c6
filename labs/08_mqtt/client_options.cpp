// This lab shows:
//  - a builder that refuses contradictions early (a persistent session needs a stable client id);
//  - turning course-level options into paho's create and connect options, with the MQTT version in
//    both (paho 1.2 quietly connects as 3.1.1 when only the create options say 5);
//  - MQTT 5's session expiry: "clean start = false" alone keeps nothing once the connection ends;
//  - MQTT 5's Maximum Packet Size: the broker, not paho, is where an oversize message can stop.

#include "08_mqtt/client_options.hpp"

#include <stdexcept>
#include <utility>

#include <mqtt/properties.h>

namespace netlab::mqtt {

ClientOptionsBuilder::ClientOptionsBuilder(std::string server_uri, std::string client_id) {
    options_.server_uri = std::move(server_uri);
    options_.client_id = std::move(client_id);
}

ClientOptionsBuilder& ClientOptionsBuilder::persistent(bool on) {
    options_.clean_session = !on;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::mqtt_version(int version) {
    if (version != 4 && version != 5) {
        throw std::invalid_argument("mqtt_version: " + std::to_string(version) + " is not 4 (3.1.1) or 5");
    }
    options_.mqtt_version = version;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::keep_alive(std::chrono::seconds interval) {
    options_.keep_alive = interval;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::connect_timeout(std::chrono::seconds timeout) {
    options_.connect_timeout = timeout;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::max_inflight(int window) {
    if (window < 1 || window > 65535) {
        throw std::invalid_argument("max_inflight: " + std::to_string(window) + " is not in 1..65535");
    }
    options_.max_inflight = window;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::auto_reconnect(bool on, std::chrono::seconds min_retry,
                                                           std::chrono::seconds max_retry) {
    options_.auto_reconnect = on;
    options_.reconnect_min = min_retry;
    options_.reconnect_max = max_retry;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::max_buffered(int messages) {
    options_.max_buffered = messages;
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::persist_to(std::string dir) {
    options_.persist_dir = std::move(dir);
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::will(Will will) {
    options_.will = std::move(will);
    return *this;
}

ClientOptionsBuilder& ClientOptionsBuilder::max_payload(std::size_t bytes) {
    if (bytes < 1 || bytes > kMaxPayloadLimit) {
        throw std::invalid_argument("max_payload: " + std::to_string(bytes) + " is not in 1.." +
                                    std::to_string(kMaxPayloadLimit));
    }
    options_.max_payload = bytes;
    return *this;
}

ClientOptions ClientOptionsBuilder::build() const {
    if (options_.server_uri.empty()) {
        throw std::invalid_argument("client options: the server URI is empty");
    }
    if (!options_.clean_session && options_.client_id.empty()) {
        throw std::invalid_argument("client options: a persistent session needs a stable client id");
    }
    if (options_.reconnect_min.count() < 1 || options_.reconnect_max < options_.reconnect_min) {
        throw std::invalid_argument("client options: reconnect needs 1 s <= min <= max");
    }
    if (options_.will && !is_valid(options_.will->qos)) {
        throw std::invalid_argument("client options: the will's QoS is not 0, 1 or 2");
    }
    if (options_.max_buffered < 1) {
        throw std::invalid_argument("client options: max_buffered must be at least 1");
    }
    return options_;
}

std::uint32_t max_packet_size(const ClientOptions& options) {
    return static_cast<std::uint32_t>(options.max_payload + kPublishHeaderRoom);
}

::mqtt::create_options to_create_options(const ClientOptions& options) {
    // BEGIN SOLUTION to_create_options
    return ::mqtt::create_options_builder()
        .mqtt_version(options.mqtt_version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1)
        .send_while_disconnected(true, false)  // buffer after the first connect, never before it
        .max_buffered_messages(options.max_buffered)
        .persist_qos0(false)
        .finalize();
    // END SOLUTION
}

::mqtt::connect_options to_connect_options(const ClientOptions& options) {
    // BEGIN SOLUTION to_connect_options
    ::mqtt::connect_options_builder builder;
    ::mqtt::properties properties;
    builder.mqtt_version(options.mqtt_version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1)
        .keep_alive_interval(options.keep_alive)
        .connect_timeout(options.connect_timeout)
        .max_inflight(options.max_inflight);
    if (options.mqtt_version == 5) {
        builder.clean_start(options.clean_session);
        // The broker drops a message that would not fit rather than send it: paho would read all of it.
        properties.add(
            {::mqtt::property::MAXIMUM_PACKET_SIZE, static_cast<std::int32_t>(max_packet_size(options))});
        if (!options.clean_session) {
            // MQTT 5 ends the session with the connection unless it is given an expiry.
            properties.add({::mqtt::property::SESSION_EXPIRY_INTERVAL, 24 * 3600});
        }
    } else {
        builder.clean_session(options.clean_session);
    }
    if (options.auto_reconnect) {
        builder.automatic_reconnect(options.reconnect_min, options.reconnect_max);
    } else {
        builder.automatic_reconnect(false);
    }
    if (options.will) {
        builder.will(::mqtt::message(options.will->topic, options.will->payload, to_int(options.will->qos),
                                     options.will->retain == Retain::yes));
    }
    ::mqtt::connect_options connect = builder.finalize();
    if (!properties.empty()) {
        // Set on the final object: paho 1.2 loses properties set through the builder (its copy
        // keeps a pointer to the builder's list, which is gone by the time CONNECT is written).
        connect.set_properties(std::move(properties));
    }
    return connect;
    // END SOLUTION
}

}  // namespace netlab::mqtt
