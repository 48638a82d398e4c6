#pragma once
// This file shows:
//  - every knob of an MQTT client in one value type, filled by a builder, so a program reads like
//    its configuration: ClientOptionsBuilder("tcp://127.0.0.1:1883", "sensor-7").persistent().build();
//  - the two paho option sets it becomes: create options (client side: offline buffer, MQTT version)
//    and connect options (what CONNECT carries: clean session, keep-alive, will, plus paho's own
//    in-flight window and reconnect timer). In paho 1.2 the MQTT version must be set in BOTH.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <mqtt/connect_options.h>
#include <mqtt/create_options.h>

#include "08_mqtt/qos.hpp"

namespace netlab::mqtt {

/// The last will and testament: what the broker publishes for us if we vanish without DISCONNECT.
struct Will {
    std::string topic;
    std::string payload;
    Qos qos = Qos::at_least_once;
    Retain retain = Retain::no;
};

/// Everything a Client needs. Plain data; build it with ClientOptionsBuilder.
struct ClientOptions {
    std::string server_uri;               ///< "tcp://host:port"
    std::string client_id;                ///< stable for persistent sessions; unique per broker
    bool clean_session = true;            ///< false = the broker keeps subscriptions and queued QoS 1/2
    int mqtt_version = 4;                 ///< 4 = MQTT 3.1.1 (default), 5 = MQTT 5
    std::chrono::seconds keep_alive{30};  ///< PINGREQ after this long without traffic
    std::chrono::seconds connect_timeout{10};
    int max_inflight = 20;                  ///< unacknowledged QoS 1/2 messages at once (paho's default;
                                            ///< above the broker's receive maximum, QoS 2 gets cut off)
    bool auto_reconnect = true;             ///< paho reconnects by itself after a connection loss
    std::chrono::seconds reconnect_min{1};  ///< first retry after this long, doubling up to reconnect_max
    std::chrono::seconds reconnect_max{8};
    int max_buffered = 10000;                ///< messages kept while disconnected (offline buffering)
    std::optional<std::string> persist_dir;  ///< file persistence of in-flight QoS 1/2 messages
    std::optional<Will> will;
    std::size_t max_payload =
        1024 * 1024;  ///< the largest payload we publish or accept (see max_packet_size)
};

/// Room for what a PUBLISH carries besides its payload: the fixed header (5 bytes), the topic (2 + up
/// to 65535 bytes), the packet id (2) and MQTT 5 properties (the rest of the 128 KiB).
inline constexpr std::size_t kPublishHeaderRoom = 128 * 1024;

/// The largest payload max_payload may be: MQTT's remaining length stops at 268,435,455 bytes.
inline constexpr std::size_t kMaxPayloadLimit = 268'435'455 - kPublishHeaderRoom;

/// What an MQTT 5 CONNECT asks for as Maximum Packet Size: max_payload plus kPublishHeaderRoom. The
/// broker then never sends us a larger packet (it drops the message for us instead).
[[nodiscard]] std::uint32_t max_packet_size(const ClientOptions& options);

/// Builder-style construction of ClientOptions. Each setter returns *this.
class ClientOptionsBuilder {
public:
    /// server_uri like "tcp://127.0.0.1:1883"; client_id may be empty only for a clean session.
    ClientOptionsBuilder(std::string server_uri, std::string client_id);

    /// Keeps the session (subscriptions, queued messages) across connections: clean_session = false.
    ClientOptionsBuilder& persistent(bool on = true);
    /// 4 (MQTT 3.1.1) or 5 (MQTT 5); throws std::invalid_argument otherwise.
    ClientOptionsBuilder& mqtt_version(int version);
    ClientOptionsBuilder& keep_alive(std::chrono::seconds interval);
    ClientOptionsBuilder& connect_timeout(std::chrono::seconds timeout);
    /// paho's in-flight window, 1..65535. 20 by default; raise it for QoS 1 throughput (see the note).
    ClientOptionsBuilder& max_inflight(int window);
    ClientOptionsBuilder& auto_reconnect(bool on, std::chrono::seconds min_retry = std::chrono::seconds(1),
                                         std::chrono::seconds max_retry = std::chrono::seconds(8));
    ClientOptionsBuilder& max_buffered(int messages);
    /// Stores in-flight QoS 1/2 messages as files under dir, so a restarted publisher resends them.
    ClientOptionsBuilder& persist_to(std::string dir);
    ClientOptionsBuilder& will(Will will);
    /// The largest payload publish() sends and the client accepts, 1..kMaxPayloadLimit (default 1 MiB).
    /// A larger received message is dropped and counted; under MQTT 5 the broker drops it first.
    ClientOptionsBuilder& max_payload(std::size_t bytes);
    /// The finished options; throws std::invalid_argument if they contradict each other.
    [[nodiscard]] ClientOptions build() const;

private:
    ClientOptions options_;
};

/// paho's create options: offline buffering (publish while disconnected, after the first connect).
::mqtt::create_options to_create_options(const ClientOptions& options);
/// paho's connect options: session, keep-alive, will, in-flight window, reconnect, MQTT version, and
/// under MQTT 5 the Maximum Packet Size property (max_packet_size(options)).
::mqtt::connect_options to_connect_options(const ClientOptions& options);

}  // namespace netlab::mqtt
