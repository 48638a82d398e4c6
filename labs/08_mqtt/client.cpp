// This lab shows:
//  - registering every callback BEFORE connecting, and callbacks that only copy and push;
//  - resubscribing from the connected callback without waiting on the token (waiting on a paho
//    token inside a paho callback deadlocks: the thread that would complete it is the one waiting),
//    and knowing it is a REconnect from a flag we set when the connection dropped, not from paho's
//    words: its cause string is documented as unset;
//  - remembering a subscription only once the broker granted it;
//  - publish flow control on OUR thread: at most max_inflight unacknowledged messages, then we wait
//    for the oldest, so memory stays bounded however fast the caller publishes;
//  - a received message over max_payload dropped before it is copied again, and reported.

#include "08_mqtt/client.hpp"

#include "08_mqtt/connect_diagnosis.hpp"
#include "08_mqtt/topic.hpp"
#include "common/peer_text.hpp"

namespace netlab::mqtt {
namespace {

/// paho's exception as our ClientError, named after the call that failed.
[[noreturn]] void rethrow(const char* call, const ::mqtt::exception& e) {
    throw ClientError(std::string(call) + ": " + e.what());
}

/// paho's -1 ("TCP connect completion failure") covers a server that closed, sent garbage or an empty
/// CONNACK: a second look says which. A refusal paho understood (a CONNACK code) keeps paho's words.
std::string describe_connect_failure(const ClientOptions& options, const ::mqtt::exception& e) {
    if (e.get_return_code() != MQTTASYNC_FAILURE) {
        return "connect to " + options.server_uri + ": " + e.what();
    }
    return "connect: " + diagnose_connect(options.server_uri, options.connect_timeout);
}

void check_qos(Qos qos) {
    if (!is_valid(qos)) {
        throw InvalidInput("QoS " + std::to_string(to_int(qos)) + " is not 0, 1 or 2");
    }
}

std::unique_ptr<::mqtt::async_client> make_paho_client(const ClientOptions& options) {
    try {
        if (options.persist_dir) {
            return std::make_unique<::mqtt::async_client>(options.server_uri, options.client_id,
                                                          to_create_options(options), *options.persist_dir);
        }
        return std::make_unique<::mqtt::async_client>(options.server_uri, options.client_id,
                                                      to_create_options(options), nullptr);
    } catch (const ::mqtt::exception& e) {
        rethrow("create client", e);
    }
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)), client_(make_paho_client(options_)) {
    // BEGIN SOLUTION Client
    client_->set_message_callback(
        [this](::mqtt::const_message_ptr message) { on_message(std::move(message)); });
    client_->set_connected_handler([this](const std::string&) { on_connected(); });
    client_->set_connection_lost_handler([this](const std::string& cause) { on_connection_lost(cause); });
    // END SOLUTION
}

Client::~Client() {
    try {
        if (client_->is_connected()) {
            client_->disconnect()->wait_for(std::chrono::seconds(2));
        }
        client_->disable_callbacks();
    } catch (const std::exception&) {
        // Nothing useful to do in a destructor: the broker will see the connection close.
    }
}

bool Client::connect() {
    // BEGIN SOLUTION connect
    try {
        auto token = client_->connect(to_connect_options(options_));
        if (!token->wait_for(options_.connect_timeout + std::chrono::seconds(1))) {
            throw ClientError("connect: " + options_.server_uri + " did not answer within " +
                              std::to_string(options_.connect_timeout.count()) + " s");
        }
        return token->get_connect_response().is_session_present();
    } catch (const ::mqtt::exception& e) {
        throw ClientError(describe_connect_failure(options_, e));
    }
    // END SOLUTION
}

void Client::subscribe(const std::string& filter, Qos qos, std::chrono::milliseconds timeout) {
    // BEGIN SOLUTION subscribe
    if (const TopicCheck check = validate_topic_filter(filter); check != TopicCheck::ok) {
        throw InvalidInput("subscribe: filter '" + printable(filter) + "': " + describe(check));
    }
    check_qos(qos);
    try {
        auto token = client_->subscribe(filter, to_int(qos));
        if (!token->wait_for(timeout)) {
            throw ClientError("subscribe: no SUBACK for '" + printable(filter) + "' in time");
        }
        // MQTT 3.1.1 refuses with 0x80, MQTT 5 with any reason code from 0x80 up.
        const auto granted = token->get_subscribe_response().get_reason_codes();
        if (!granted.empty() && static_cast<int>(granted.front()) >= 0x80) {
            throw ClientError("subscribe: the broker refused '" + printable(filter) + "'");
        }
    } catch (const ::mqtt::exception& e) {
        rethrow("subscribe", e);
    }
    remember(filter, qos);  // granted: restore it after every reconnect
    // END SOLUTION
}

void Client::remember(const std::string& filter, Qos qos) {
    std::lock_guard lock(subscriptions_mutex_);
    for (auto& [known, level] : subscriptions_) {
        if (known == filter) {  // a SUBSCRIBE to the same filter replaces the subscription (3.8.4)
            level = qos;
            return;
        }
    }
    subscriptions_.emplace_back(filter, qos);
}

void Client::check_publish(std::string_view topic, std::string_view payload, Qos qos) const {
    // BEGIN SOLUTION check_publish
    if (const TopicCheck check = validate_topic_name(topic); check != TopicCheck::ok) {
        throw InvalidInput("publish: topic '" + printable(topic) + "': " + describe(check));
    }
    check_qos(qos);
    if (payload.size() > options_.max_payload) {
        throw InvalidInput("publish: payload of " + std::to_string(payload.size()) +
                           " bytes exceeds the limit of " + std::to_string(options_.max_payload) + " bytes");
    }
    // END SOLUTION
}

void Client::publish(std::string_view topic, std::string_view payload, Qos qos, Retain retain,
                     std::chrono::milliseconds timeout) {
    check_publish(topic, payload, qos);
    // BEGIN SOLUTION publish
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pending_.empty() && pending_.front().token->is_complete()) {
        settle_oldest(deadline);
    }
    // While connected, wait once max_inflight messages are unacknowledged. While disconnected, the
    // tokens cannot complete until a reconnect: let paho's offline buffer take max_buffered more.
    const auto limit = static_cast<std::size_t>(options_.max_inflight) +
                       (client_->is_connected() ? 0U : static_cast<std::size_t>(options_.max_buffered));
    while (pending_.size() >= limit) {
        if (!settle_oldest(deadline)) {
            throw ClientError("publish: the oldest message was not acknowledged in time");
        }
    }
    send(::mqtt::make_message(std::string(topic), payload.data(), payload.size(), to_int(qos),
                              retain == Retain::yes),
         1);
    // END SOLUTION
}

void Client::send(::mqtt::const_message_ptr message, int attempt) {
    try {
        pending_.push_back({client_->publish(std::move(message)), attempt});
    } catch (const ::mqtt::exception& e) {
        rethrow("publish", e);
    }
}

bool Client::settle_oldest(std::chrono::steady_clock::time_point deadline) {
    // BEGIN SOLUTION settle_oldest
    Pending oldest = pending_.front();
    try {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!oldest.token->is_complete() && (left.count() <= 0 || !oldest.token->wait_for(left))) {
            return false;
        }
        oldest.token->wait();  // complete: returns at once, or throws the delivery's failure
        pending_.pop_front();
    } catch (const ::mqtt::exception& e) {
        // paho gave up on this message (its connection dropped at the wrong moment). We still hold
        // the message: send it again. At QoS 1 the receiver may see it twice, which QoS 1 allows.
        pending_.pop_front();
        if (oldest.attempt >= kMaxAttempts) {
            rethrow("publish (after 3 attempts)", e);
        }
        ++resent_;
        send(oldest.token->get_message(), oldest.attempt + 1);
    }
    return true;
    // END SOLUTION
}

bool Client::flush(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pending_.empty()) {
        if (!settle_oldest(deadline)) {
            return false;
        }
    }
    return true;
}

std::optional<Message> Client::next_message(std::chrono::milliseconds timeout) {
    return received_.pop(timeout);
}

void Client::disconnect(std::chrono::milliseconds timeout) {
    try {
        if (client_->is_connected() && !client_->disconnect()->wait_for(timeout)) {
            throw ClientError("disconnect: not confirmed in time");
        }
    } catch (const ::mqtt::exception& e) {
        rethrow("disconnect", e);
    }
}

std::optional<std::string> Client::next_notice(std::chrono::milliseconds timeout) {
    return notices_.pop(timeout);
}

void Client::on_message(::mqtt::const_message_ptr message) {
    // paho has read all of it already (MQTT 3.1.1 has no way to refuse it); do not copy it again.
    if (const std::size_t size = message->get_payload_ref().size(); size > options_.max_payload) {
        ++dropped_;
        notices_.push("dropped a message of " + std::to_string(size) + " bytes on topic '" +
                      printable(message->get_topic()) + "': over the limit of " +
                      std::to_string(options_.max_payload) + " bytes");
        return;
    }
    // BEGIN SOLUTION on_message
    received_.push(Message{message->get_topic(), message->get_payload_str(),
                           static_cast<Qos>(message->get_qos()), message->is_retained(),
                           message->is_duplicate()});
    // END SOLUTION
}

void Client::on_connected() {
    // BEGIN SOLUTION on_connected
    if (!lost_since_connected_.exchange(false)) {
        return;  // the first connect: connect() and subscribe() are still to come, on our thread
    }
    ++reconnects_;
    // paho's reconnect callback does not carry the session-present flag, so subscriptions are
    // restored every time: a SUBSCRIBE for an existing subscription simply replaces it (3.8.4).
    std::vector<std::pair<std::string, Qos>> copy;
    {
        std::lock_guard lock(subscriptions_mutex_);
        copy = subscriptions_;
    }
    if (copy.empty()) {
        return;
    }
    auto filters = std::make_shared<::mqtt::string_collection>();
    std::vector<int> qos;
    for (const auto& [filter, level] : copy) {
        filters->push_back(filter);
        qos.push_back(to_int(level));
    }
    try {
        client_->subscribe(filters, qos);  // never wait on this token here: we ARE paho's thread
    } catch (const ::mqtt::exception&) {
        // The connection dropped again; the next reconnect runs this handler once more.
    }
    // END SOLUTION
}

void Client::on_connection_lost(const std::string& cause) {
    ++lost_;
    lost_since_connected_ = true;  // the next connected handler is a reconnect
    notices_.push("connection to " + options_.server_uri + " lost (" +
                  (cause.empty() ? std::string("paho gave no cause") : printable(cause)) + ")" +
                  (options_.auto_reconnect ? "; reconnecting" : ""));
}

}  // namespace netlab::mqtt
