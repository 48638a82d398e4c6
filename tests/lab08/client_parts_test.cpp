// Lab 08, the client's parts one at a time, each before the parts that follow it exist: what
// connect() reports when no session comes of it, what the connected handler does on the first
// connect and on a reconnect, and what publish() refuses before anything could be sent. A scripted
// broker (fake_broker) plays each scenario on a loopback port; no real broker is needed.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "08_mqtt/client.hpp"
#include "common/peer_text.hpp"
#include "deadline.hpp"
#include "fake_broker.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto npos = std::string::npos;

/// A TCP socket bound to a 127.0.0.1 port but not listening: a connect there is refused, and no
/// other program can take the port while the socket lives.
UniqueFd bound_but_not_listening() {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!fd || ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        throw std::system_error(errno, std::system_category(), "bind");
    }
    return fd;
}

std::string uri_of(std::uint16_t port) {
    return "tcp://127.0.0.1:" + std::to_string(port);
}

/// Options for a client of a scripted broker on port: short timeouts, a quick reconnect.
mqtt::ClientOptionsBuilder quick_options(std::uint16_t port, const std::string& client_id = "") {
    mqtt::ClientOptionsBuilder builder(uri_of(port), client_id);
    builder.connect_timeout(2s).keep_alive(10s).auto_reconnect(true, 1s, 2s);
    return builder;
}

/// The what() of the ClientError that client.connect() throws; a failure when it returns instead.
std::string connect_error(mqtt::Client& client) {
    try {
        client.connect();
        ADD_FAILURE() << "connect() returned: it must throw ClientError";
    } catch (const mqtt::ClientError& e) {
        return e.what();
    }
    return "";
}

/// Sets flag when it goes out of scope: a scenario waiting on the flag ends even if the test does not
/// get that far.
struct RaiseOnExit {
    std::atomic<bool>& flag;
    ~RaiseOnExit() { flag = true; }
};

// Client and connect(): connect() says why no session came of it. Nothing here ever completes a
// connect, so the connected handler never runs.

GRADED_TEST(Lab08Client, ConnectToAPortNobodyListensOnSaysSo, 4) {
    const UniqueFd held = bound_but_not_listening();
    const std::uint16_t port = bound_port(held.get());
    mqtt::Client client(quick_options(port).auto_reconnect(false).build());
    SCOPED_TRACE("connect to " + uri_of(port) + ", where the kernel refuses the TCP connection");
    const std::string error = connect_error(client);
    EXPECT_TRUE(error.starts_with("connect: ")) << "the error must name the call: '" << error << "'";
    EXPECT_NE(error.find("no TCP connection to 127.0.0.1:" + std::to_string(port)), npos)
        << "paho's words alone say nothing; the diagnosis must: '" << error << "'";
    EXPECT_NE(error.find("refused"), npos) << error;
    EXPECT_FALSE(client.is_connected());
}

GRADED_TEST(Lab08Client, ConnectSaysWhatTheBrokerDid, 6) {
    enum class Reply { close, not_authorized };
    std::atomic<Reply> reply{Reply::close};
    FakeBroker broker([&reply](int fd, int) {
        if (!read_packet(fd, 5s)) {
            return;
        }
        if (reply.load() == Reply::not_authorized) {
            send_within(fd, std::string("\x20\x02\x00\x05", 4), 5s);  // CONNACK: refused, not authorized
            read_to_eof(fd, 5s);
        }
        // Reply::close: return, and the connection closes before any CONNACK
    });
    const std::string uri = uri_of(broker.port());
    mqtt::Client client(quick_options(broker.port()).auto_reconnect(false).build());
    {
        SCOPED_TRACE("the broker reads CONNECT and closes the connection without a CONNACK");
        const std::string error = connect_error(client);
        EXPECT_TRUE(error.starts_with("connect: ")) << error;
        EXPECT_NE(error.find("the broker at 127.0.0.1:" + std::to_string(broker.port()) +
                             " closed the connection before CONNACK"),
                  npos)
            << error;
        EXPECT_EQ(error.find("TCP connect completion failure"), npos)
            << "paho's words for every failed handshake; say what happened instead: " << error;
        EXPECT_FALSE(client.is_connected());
    }
    {
        SCOPED_TRACE("the broker answers CONNACK with return code 5, not authorized");
        reply = Reply::not_authorized;
        const std::string error = connect_error(client);
        EXPECT_TRUE(error.starts_with("connect to " + uri + ": ")) << error;
        EXPECT_NE(error.find("[5]"), npos) << "a refusal paho understood keeps paho's words: " << error;
        EXPECT_FALSE(client.is_connected());
    }
}

// on_connected: the connected handler runs after every connect; only a reconnect counts, and with
// nothing subscribed there is nothing to restore. Nothing here subscribes or publishes.

GRADED_TEST(Lab08Client, OnlyAReconnectCountsAsOne, 10) {
    std::atomic<bool> drop{false};
    std::mutex mutex;
    std::vector<int> after_reconnect;  // the first byte of the packet after CONNECT, connection 2 on
    FakeBroker broker([&](int fd, int connection) {
        const auto connect = read_packet(fd, 5s);
        if (!connect || connect->first != 0x10) {
            return;
        }
        if (connection == 1) {  // accepted, session present; dropped when the test says so
            if (send_within(fd, std::string("\x20\x02\x01\x00", 4), 5s)) {
                wait_until([&] { return drop.load(); }, 20s);
            }
            return;
        }
        if (!send_within(fd, std::string("\x20\x02\x00\x00", 4), 5s)) {  // accepted, no session
            return;
        }
        const auto next = read_packet(fd, 20s);
        {
            std::lock_guard lock(mutex);
            after_reconnect.push_back(next ? next->first : -1);
        }
        read_to_eof(fd, 5s);
    });
    const RaiseOnExit raise{drop};
    mqtt::Client client(quick_options(broker.port(), "netlab-reconnect-count").persistent().build());
    {
        SCOPED_TRACE("the first connect: the broker's CONNACK says session present");
        EXPECT_TRUE(client.connect()) << "connect() must return the CONNACK's session-present flag";
        EXPECT_TRUE(client.is_connected());
        EXPECT_EQ(client.reconnects(), 0U) << "the first connect was counted as a reconnect";
    }
    SCOPED_TRACE("the broker drops the connection; paho reconnects by itself");
    drop = true;
    ASSERT_TRUE(wait_until([&] { return client.reconnects() >= 1; }, 15s))
        << "no reconnect counted after " << broker.connections() << " connections and "
        << client.connections_lost() << " lost";
    EXPECT_TRUE(client.is_connected());
    EXPECT_EQ(client.connections_lost(), 1U);
    EXPECT_EQ(client.reconnects(), 1U);
    SCOPED_TRACE(
        "nothing was subscribed: the next packet the broker sees is our DISCONNECT, not a SUBSCRIBE");
    client.disconnect(5s);
    const auto first_after = [&]() -> std::optional<int> {
        std::lock_guard lock(mutex);
        return after_reconnect.empty() ? std::nullopt : std::optional(after_reconnect.front());
    };
    ASSERT_TRUE(wait_until([&] { return first_after().has_value(); }, 10s));
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(*first_after() & 0xff));
    EXPECT_EQ(*first_after(), 0xe0) << "expected DISCONNECT (0xe0) after the reconnect, got " << hex
                                    << (*first_after() == 0x82 ? " (SUBSCRIBE)" : "");
}

// check_publish: publish() refuses bad input before it reaches paho. The client never connects, so
// nothing can be sent; input that passes the checks goes on to the rest of publish, which fails here
// in its own way (never connected), and that is not this test's concern.

GRADED_TEST(Lab08Client, PublishRefusesBadInputBeforeAnythingIsSent, 6) {
    const UniqueFd listener = listen_loopback();
    mqtt::Client client(quick_options(bound_port(listener.get())).max_payload(1024).build());
    const auto refused = [&](const std::string& topic, std::size_t payload_size, int qos,
                             const std::vector<std::string>& words) {
        SCOPED_TRACE("publish to '" + printable(topic) + "', " + std::to_string(payload_size) +
                     " bytes, QoS " + std::to_string(qos));
        try {
            client.publish(topic, std::string(payload_size, 'x'), static_cast<mqtt::Qos>(qos));
            ADD_FAILURE() << "accepted";
        } catch (const mqtt::InvalidInput& e) {
            const std::string what = e.what();
            for (const auto& word : words) {
                EXPECT_NE(what.find(word), npos)
                    << "the error '" << printable(what) << "' does not say '" << printable(word) << "'";
            }
        }
    };
    refused("site/+/temp", 1, 1, {"publish: topic 'site/+/temp': ", "wildcard"});
    refused("site/#", 1, 1, {"publish: topic 'site/#': ", "wildcard"});
    refused("a+b", 1, 0, {"wildcard"});
    refused("", 1, 1, {"publish: topic '': ", "empty"});
    refused(std::string("a/\0b", 4), 1, 1, {"publish: topic 'a/\\x00b': ", "NUL"});
    refused("a/\xff", 1, 2, {"publish: topic 'a/\\xFF': ", "UTF-8"});
    refused("a/b", 1, 3, {"QoS 3"});
    refused("a/b", 1, -1, {"QoS -1"});
    refused("a/b", 1025, 1, {"publish: payload of 1025 bytes exceeds the limit of 1024 bytes"});
    const auto passes = [&](const std::string& topic, std::size_t payload_size, int qos) {
        SCOPED_TRACE("publish to '" + printable(topic) + "', " + std::to_string(payload_size) +
                     " bytes, QoS " + std::to_string(qos) + " is valid input");
        try {
            client.publish(topic, std::string(payload_size, 'x'), static_cast<mqtt::Qos>(qos));
        } catch (const mqtt::InvalidInput& e) {
            ADD_FAILURE() << "refused: " << printable(e.what());
        } catch (const std::exception&) {
            // past the checks: the never-connected client cannot send it, which is fine here
        }
    };
    passes("a/b", 1024, 1);
    passes("a/b", 0, 0);
    passes("/", 1, 2);
    passes("a//b", 1, 1);
    passes("caf\xc3\xa9/temp", 1, 1);
    EXPECT_FALSE(accept_within(listener.get(), 0ms)) << "the client connected to the broker";
}

}  // namespace
}  // namespace netlab::testing
