#include "loopback_checks.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "03_encapsulation/core/tcp_stream.hpp"
#include "03_encapsulation/framing/frame_codec.hpp"
#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "08_mqtt/client.hpp"
#include "08_mqtt/topic.hpp"
#include "one_shot_server.hpp"

namespace netlab::consumer {
namespace {

/// Reads from stream until the bytes hold what done() accepts; throws at EOF or after the deadline.
template <typename Done>
std::vector<std::byte> read_until(core::TcpStream& stream, Done done) {
    std::vector<std::byte> received;
    std::array<std::byte, 1024> chunk{};
    while (!done(received)) {
        const core::IoResult got = stream.read_some(chunk);
        if (got.eof()) {
            throw std::runtime_error("the peer closed before the message was whole");
        }
        if (got.would_block()) {
            throw std::runtime_error("no whole message within the deadline");
        }
        const auto bytes = std::span(chunk).first(got.size);
        received.insert(received.end(), bytes.begin(), bytes.end());
    }
    return received;
}

bool holds_frame(const std::vector<std::byte>& bytes) {
    const core::FrameResult frame = core::decode_frame(bytes);
    if (frame.status == ParseStatus::error) {
        throw std::runtime_error("a frame above the maximum");
    }
    return static_cast<bool>(frame);
}

std::vector<std::byte> as_bytes(std::string_view text) {
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

}  // namespace

void check_core_frame_echo() {
    OneShotServer server(kStepDeadline, [](core::TcpStream& peer) {
        const std::vector<std::byte> request = read_until(peer, holds_frame);
        peer.write_all(core::encode_frame(core::decode_frame(request).payload));
    });
    core::TcpStream client = core::TcpStream::connect("127.0.0.1", server.port());
    set_receive_timeout(client.get(), kStepDeadline);
    const std::vector<std::byte> sent = as_bytes("hello through netlab::core");
    client.write_all(core::encode_frame(sent));
    const std::vector<std::byte> reply = read_until(client, holds_frame);
    const core::FrameResult echoed = core::decode_frame(reply);
    server.join();
    if (!std::equal(echoed.payload.begin(), echoed.payload.end(), sent.begin(), sent.end())) {
        throw std::runtime_error("the echoed frame differs from the one sent");
    }
}

void check_libevent_timer() {
    libevent::EventBase base;
    bool fired = false;
    libevent::TimerEvent timer(base, [&] {
        fired = true;
        base.loopbreak();
    });
    timer.start(std::chrono::milliseconds(10));
    base.loopexit(kStepDeadline);
    base.dispatch();
    if (!fired) {
        throw std::runtime_error("the timer did not fire within the deadline");
    }
}

void check_curl_get() {
    const std::string body = "hello through netlab::curl\n";
    OneShotServer server(kStepDeadline, [&body](core::TcpStream& peer) {
        read_until(peer, [](const std::vector<std::byte>& bytes) {
            const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            return text.find("\r\n\r\n") != std::string_view::npos;
        });
        const std::string reply =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n" + body;
        peer.write_all(std::as_bytes(std::span(reply)));
    });
    curl::Request request;
    request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/hello";
    request.timeout = kStepDeadline;
    request.connect_timeout = kStepDeadline;
    curl::EasyHandle handle;
    const curl::Outcome outcome = handle.perform(request);
    server.join();
    if (!outcome) {
        throw std::runtime_error("the GET failed: " +
                                 std::string(outcome.error ? outcome.error->what() : "?"));
    }
    if (outcome.response->status != 200 || outcome.response->body != body) {
        throw std::runtime_error("the GET got status " + std::to_string(outcome.response->status) +
                                 " and a body of " + std::to_string(outcome.response->body.size()) +
                                 " bytes");
    }
}

void check_mqtt_topics() {
    if (mqtt::validate_topic_name("netlab/consumer/temperature") != mqtt::TopicCheck::ok) {
        throw std::runtime_error("a good topic name was refused");
    }
    if (!mqtt::topic_matches("netlab/+/temperature", "netlab/consumer/temperature")) {
        throw std::runtime_error("netlab/+/temperature does not match netlab/consumer/temperature");
    }
    if (mqtt::validate_topic_filter("netlab/#/temperature") == mqtt::TopicCheck::ok) {
        throw std::runtime_error("a filter with '#' before its last level was accepted");
    }
}

}  // namespace netlab::consumer
