#pragma once
// This file shows:
//  - a course-level MQTT client over paho's async_client: validate first, then hand to paho;
//  - callbacks that never block paho's thread: messages go to a MessageQueue that our thread pops;
//  - automatic reconnect that restores the subscriptions the broker granted (never one it refused),
//    told apart from the first connect by state we own, offline buffering, and a bounded publish
//    window so a fast publisher waits for acknowledgements instead of growing memory without end;
//  - bounded messages: a received payload over max_payload is dropped, counted and reported.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>

#include "08_mqtt/client_options.hpp"
#include "08_mqtt/message_queue.hpp"

namespace netlab::mqtt {

/// Input our layer refuses before anything is sent: a bad topic, a bad QoS, an oversize payload.
struct InvalidInput : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// A failure talking to the broker; what() starts with the call that failed ("connect: ...").
struct ClientError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One received message, copied out of paho's types.
struct Message {
    std::string topic;
    std::string payload;
    Qos qos = Qos::at_most_once;
    bool retained = false;   ///< stored by the broker, delivered because we just subscribed
    bool duplicate = false;  ///< the DUP flag: a QoS 1/2 resend
};

/// One MQTT connection. Methods are for ONE application thread; paho's thread only runs the
/// private handlers, which never block.
class Client {
public:
    /// Creates the paho client (no network yet); with persist_dir, restores messages stored there.
    explicit Client(ClientOptions options);
    /// Disconnects cleanly (bounded by 2 s) if still connected; never throws.
    ~Client();
    /// Neither copied nor moved: paho's callbacks hold this object's address until it is destroyed.
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    Client(Client&&) = delete;
    Client& operator=(Client&&) = delete;

    /// Connects within the options' connect timeout; returns the broker's session-present flag.
    /// Throws ClientError("connect: ...") when the broker refuses or cannot be reached.
    bool connect();
    /// Subscribes and waits for the SUBACK; only a filter the broker granted is remembered (and
    /// restored after each reconnect). Throws InvalidInput for a bad filter or QoS; ClientError when
    /// the broker refused it or did not acknowledge it in time (then it is not remembered).
    void subscribe(const std::string& filter, Qos qos,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Validates, then publishes. Returns at once unless max_inflight messages are still unacknowledged
    /// (max_inflight + max_buffered while disconnected: the rest wait in paho's offline buffer), in
    /// which case it waits for the oldest, up to timeout, then throws ClientError.
    void publish(std::string_view topic, std::string_view payload, Qos qos = Qos::at_least_once,
                 Retain retain = Retain::no, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// Waits until every message published so far is acknowledged (QoS 1/2) or written (QoS 0).
    /// False if that did not happen within timeout; throws ClientError if a delivery failed 3 times.
    bool flush(std::chrono::milliseconds timeout);
    /// The next received message, or nullopt if none arrives within timeout.
    std::optional<Message> next_message(std::chrono::milliseconds timeout);
    /// The next thing worth telling a user (a lost connection and its cause, a dropped oversize
    /// message), one escaped line, or nullopt if none comes within timeout.
    std::optional<std::string> next_notice(std::chrono::milliseconds timeout);
    /// Sends DISCONNECT (so the will is NOT published) and waits for it up to timeout.
    void disconnect(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// True while the TCP connection and MQTT session are up.
    [[nodiscard]] bool is_connected() const { return client_->is_connected(); }
    /// Connections lost since connect() (each one a broker restart, a reset, a keep-alive timeout).
    [[nodiscard]] std::size_t connections_lost() const { return lost_.load(); }
    /// Messages paho gave up on (a connection lost at the wrong moment) that we published again.
    [[nodiscard]] std::size_t resent() const { return resent_; }
    /// Received messages dropped because their payload was over options().max_payload.
    [[nodiscard]] std::size_t dropped_oversize() const { return dropped_.load(); }
    /// Successful automatic reconnects since connect().
    [[nodiscard]] std::size_t reconnects() const { return reconnects_.load(); }
    /// The options this client was built from.
    [[nodiscard]] const ClientOptions& options() const { return options_; }

private:
    void on_message(::mqtt::const_message_ptr message);  // paho's thread
    void on_connected();                                 // paho's thread
    void on_connection_lost(const std::string& cause);   // paho's thread
    void check_publish(std::string_view topic, std::string_view payload, Qos qos) const;
    void remember(const std::string& filter, Qos qos);
    void send(::mqtt::const_message_ptr message, int attempt);
    bool settle_oldest(std::chrono::steady_clock::time_point deadline);

    struct Pending {
        ::mqtt::delivery_token_ptr token;
        int attempt = 1;
    };
    static constexpr int kMaxAttempts = 3;

    // Members are destroyed in reverse order. paho's threads run the handlers, which touch every
    // member below, until client_ is gone: so client_ is declared last and destroyed first.
    ClientOptions options_;
    MessageQueue<Message> received_;
    MessageQueue<std::string> notices_;
    std::mutex subscriptions_mutex_;
    std::vector<std::pair<std::string, Qos>> subscriptions_;  // granted by a SUBACK, in order
    std::deque<Pending> pending_;  // published, not yet acknowledged (our thread only)
    std::size_t resent_ = 0;
    std::atomic<std::size_t> lost_{0};
    std::atomic<bool> lost_since_connected_{false};  // set when a connection drops, read on the next one
    std::atomic<std::size_t> reconnects_{0};
    std::atomic<std::size_t> dropped_{0};
    std::unique_ptr<::mqtt::async_client> client_;
};

}  // namespace netlab::mqtt
