// Lab 02, reliable request/response over UDP: the dedup cache, the server's exactly-once
// rule, the client's sequence numbers, retransmission and timeouts, and the whole protocol
// through a relay that drops, duplicates and reorders datagrams (LossyUdpRelay).
// Fake peers build and parse datagrams by hand, independently of the lab's wire format code.

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "02_datagram/dedup_cache.hpp"
#include "02_datagram/reliable_client.hpp"
#include "02_datagram/reliable_server.hpp"
#include "02_datagram/wire_format.hpp"
#include "bytes.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab02_helpers.hpp"
#include "lossy_relay.hpp"
#include "test_socket.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;
using namespace netlab::testing;
using namespace std::chrono_literals;

constexpr int kRequest = 1;
constexpr int kResponse = 2;

/// A datagram in the lab's wire format, built byte by byte.
std::string wire(int type, std::uint32_t sequence, std::string_view payload) {
    std::string out{'N', 'L', 1, static_cast<char>(type)};
    for (const int shift : {24, 16, 8, 0}) {
        out += static_cast<char>((sequence >> shift) & 0xff);
    }
    out += static_cast<char>((payload.size() >> 8) & 0xff);
    out += static_cast<char>(payload.size() & 0xff);
    return out + std::string(payload);
}

/// The sequence number of a datagram in the wire format (bytes 4-7, big-endian).
std::uint32_t sequence_of(const std::string& datagram) {
    std::uint32_t value = 0;
    for (std::size_t i = 4; i < 8 && i < datagram.size(); ++i) {
        value = (value << 8) | static_cast<unsigned char>(datagram[i]);
    }
    return value;
}

PeerAddress peer(const char* host, std::uint16_t port) {
    PeerAddress address;
    if (sockaddr_in v4{}; ::inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port);
        std::memcpy(&address.storage, &v4, sizeof v4);
        address.length = sizeof v4;
    } else {
        sockaddr_in6 v6{};
        ::inet_pton(AF_INET6, host, &v6.sin6_addr);
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        std::memcpy(&address.storage, &v6, sizeof v6);
        address.length = sizeof v6;
    }
    return address;
}

std::string found(const std::optional<std::vector<std::byte>>& reply) {
    return reply ? "'" + text_of(*reply) + "'" : "nothing";
}

/// Runs client.request(payload) on another thread, so a fake server can answer from this one.
std::future<RequestResult> request_async(ReliableClient& client, const std::string& payload) {
    return std::async(std::launch::async, [&client, payload] { return client.request(bytes_of(payload)); });
}

/// The result of a request started with request_async, waiting at most 10 s.
RequestResult result_of(std::future<RequestResult>& pending) {
    if (pending.wait_for(10s) != std::future_status::ready) {
        throw std::runtime_error("request() did not return within 10 s");
    }
    return pending.get();
}

}  // namespace

GRADED_TEST(Lab02Reliable, DedupCacheIsBounded, 4) {
    const PeerAddress a = peer("127.0.0.1", 1000);
    const PeerAddress b = peer("127.0.0.1", 1001);
    const PeerAddress a6 = peer("::1", 1000);
    DedupCache cache(3);

    SCOPED_TRACE("a reply is found under its own (peer, sequence) only");
    cache.insert(a, 1, bytes_of("a1"));
    EXPECT_EQ(found(cache.find(a, 1)), "'a1'");
    EXPECT_EQ(found(cache.find(a, 2)), "nothing") << "another sequence number";
    EXPECT_EQ(found(cache.find(b, 1)), "nothing") << "another port is another peer";
    EXPECT_EQ(found(cache.find(a6, 1)), "nothing") << "another address is another peer";

    SCOPED_TRACE("full at 3; the fourth insert forgets the oldest entry");
    cache.insert(b, 1, bytes_of("b1"));
    cache.insert(a6, 1, bytes_of("v6"));
    EXPECT_EQ(cache.size(), 3u);
    cache.insert(a, 2, bytes_of("a2"));
    EXPECT_EQ(cache.size(), 3u) << "the cache must stay bounded";
    EXPECT_EQ(found(cache.find(a, 1)), "nothing") << "(a, 1) was the oldest and should be gone";
    EXPECT_EQ(found(cache.find(b, 1)), "'b1'");
    EXPECT_EQ(found(cache.find(a6, 1)), "'v6'");
    EXPECT_EQ(found(cache.find(a, 2)), "'a2'");

    SCOPED_TRACE("a thousand more inserts: still 3 entries, the newest ones");
    for (std::uint32_t sequence = 100; sequence < 1100; ++sequence) {
        cache.insert(b, sequence, bytes_of(std::to_string(sequence)));
    }
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(found(cache.find(b, 1099)), "'1099'");
    EXPECT_EQ(found(cache.find(b, 1097)), "'1097'");
    EXPECT_EQ(found(cache.find(b, 1096)), "nothing");
}

GRADED_TEST(Lab02Reliable, ServerRunsEachRequestOnce, 5) {
    int runs = 0;
    ReliableServer server([&runs](std::span<const std::byte> request) {
        ++runs;
        return bytes_of("ran " + text_of(request));
    });
    const PeerAddress a = peer("127.0.0.1", 4000);
    const PeerAddress b = peer("127.0.0.1", 4001);

    SCOPED_TRACE("a request: the handler runs, the reply is a RESPONSE with the same sequence number");
    const auto first = server.handle(bytes_of(wire(kRequest, 77, "job")), a);
    ASSERT_TRUE(first) << "a valid request must be answered";
    EXPECT_BYTES_EQ(wire(kResponse, 77, "ran job"), text_of(*first));
    EXPECT_EQ(runs, 1);

    SCOPED_TRACE("the same request again (a retransmission): the same reply, the handler does not run");
    const auto again = server.handle(bytes_of(wire(kRequest, 77, "job")), a);
    ASSERT_TRUE(again) << "a duplicate must be answered (the first reply may have been lost)";
    EXPECT_BYTES_EQ(text_of(*first), text_of(*again));
    EXPECT_EQ(runs, 1) << "the handler ran twice for one request";
    EXPECT_EQ(server.stats().duplicates, 1u);

    SCOPED_TRACE("the same sequence number from another peer, or the next one from a: new requests");
    ASSERT_TRUE(server.handle(bytes_of(wire(kRequest, 77, "job")), b));
    ASSERT_TRUE(server.handle(bytes_of(wire(kRequest, 78, "next")), a));
    EXPECT_EQ(runs, 3);
    EXPECT_EQ(server.stats().executed, 3u);

    SCOPED_TRACE("garbage, a cut header and a RESPONSE are dropped without an answer");
    EXPECT_FALSE(server.handle(bytes_of("hello"), a));
    EXPECT_FALSE(server.handle(bytes_of(wire(kRequest, 79, "x").substr(0, 6)), a));
    EXPECT_FALSE(server.handle(bytes_of(wire(kResponse, 80, "not a request")), a))
        << "answering a response could start an endless ping-pong between two servers";
    EXPECT_EQ(runs, 3);
    EXPECT_EQ(server.stats().dropped, 3u);
}

GRADED_TEST(Lab02Reliable, AwaitReplyTakesOnlyItsOwnResponseUntilItsTime, 3) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    UniqueFd socket = connect_to("127.0.0.1", bound_port(fake.get()), SOCK_DGRAM);
    const PeerAddress client_address = peer("127.0.0.1", bound_port(socket.get()));
    ReliableClient client(std::move(socket), RetryPolicy{}, 1000);

    SCOPED_TRACE("stale, future, garbage and a REQUEST are queued before the right reply and its duplicate");
    for (const std::string& noise :
         {wire(kResponse, 999, "stale"), wire(kResponse, 1001, "future"), std::string("junk"),
          wire(kRequest, 1000, "a request, not a reply"), wire(kResponse, 1000, "answer"),
          wire(kResponse, 1000, "answer again")}) {
        send_to(fake.get(), noise, client_address);
    }
    const auto reply = client.await_reply(1000, Clock::now() + 5s);
    EXPECT_EQ(found(reply), "'answer'") << "only the response with this sequence number counts";
    EXPECT_EQ(client.stats().stale_replies, 2u) << "responses numbered 999 and 1001";
    EXPECT_EQ(client.stats().bad_datagrams, 2u) << "\"junk\" and the REQUEST";
    EXPECT_EQ(client.stats().sent, 0u) << "await_reply only receives";

    SCOPED_TRACE("waiting for 1001: the queued duplicate is stale, then nothing comes until the time is up");
    const auto started = Clock::now();
    EXPECT_EQ(found(client.await_reply(1001, started + 150ms)), "nothing");
    const auto took = Clock::now() - started;
    EXPECT_GE(took, 140ms) << "gave up before its time";
    EXPECT_LT(took, 3s) << "waited past its time";
    EXPECT_EQ(client.stats().stale_replies, 3u) << "the duplicate of the answer counts as stale";

    SCOPED_TRACE("a time already past: nothing is taken, not even the right reply");
    send_to(fake.get(), wire(kResponse, 5, "late"), client_address);
    EXPECT_EQ(found(client.await_reply(5, Clock::now() - 1ms)), "nothing");
    EXPECT_EQ(found(client.await_reply(5, Clock::now() + 5s)), "'late'") << "the reply was still queued";
}

GRADED_TEST(Lab02Reliable, ClientDiscardsStaleReplies, 4) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    RetryPolicy policy;
    policy.timeout = 2s;
    policy.attempts = 1;
    ReliableClient client(connect_to("127.0.0.1", bound_port(fake.get()), SOCK_DGRAM), policy, 1000);

    SCOPED_TRACE(
        "request 1: stale, future, garbage and a REQUEST come before the right reply and its duplicate");
    auto pending = request_async(client, "first");
    const auto request = receive_within(fake.get(), 5s);
    ASSERT_TRUE(request) << "the client sent no request within 5 s";
    EXPECT_BYTES_EQ(wire(kRequest, 1000, "first"), request->bytes) << "the first request uses first_sequence";
    for (const std::string& noise :
         {wire(kResponse, 999, "stale"), wire(kResponse, 1001, "future"), std::string("junk"),
          wire(kRequest, 1000, "a request, not a reply"), wire(kResponse, 1000, "answer 1"),
          wire(kResponse, 1000, "answer 1 again")}) {
        send_to(fake.get(), noise, request->sender);
    }
    const RequestResult one = result_of(pending);
    ASSERT_TRUE(one) << "no answer";
    EXPECT_EQ(text_of(one.reply), "answer 1")
        << "only the response with this request's sequence number counts";
    EXPECT_EQ(one.attempts, 1);
    EXPECT_EQ(client.stats().stale_replies, 2u) << "responses numbered 999 and 1001";
    EXPECT_EQ(client.stats().bad_datagrams, 2u) << "\"junk\" and the REQUEST";

    SCOPED_TRACE("request 2: the duplicate of answer 1 is still queued and must not be taken as answer 2");
    pending = request_async(client, "second");
    const auto second = receive_within(fake.get(), 5s);
    ASSERT_TRUE(second) << "the client sent no second request within 5 s";
    EXPECT_EQ(sequence_of(second->bytes), 1001u) << "each request takes the next sequence number";
    send_to(fake.get(), wire(kResponse, 1001, "answer 2"), second->sender);
    const RequestResult two = result_of(pending);
    ASSERT_TRUE(two) << "no answer";
    EXPECT_EQ(text_of(two.reply), "answer 2");
    EXPECT_EQ(client.stats().stale_replies, 3u) << "the duplicate of answer 1 counts as stale";
}

GRADED_TEST(Lab02Reliable, ClientRetransmitsLostRequests, 2) {
    const UniqueFd fake = listen_loopback(AF_INET, SOCK_DGRAM);
    RetryPolicy policy;
    policy.timeout = 50ms;
    policy.attempts = 5;
    policy.deadline = 5s;
    ReliableClient client(connect_to("127.0.0.1", bound_port(fake.get()), SOCK_DGRAM), policy, 7);

    SCOPED_TRACE("the fake server ignores two copies of the request and answers the third");
    auto pending = request_async(client, "again?");
    std::vector<std::string> copies;
    std::vector<Clock::time_point> times;
    for (int i = 0; i < 3; ++i) {
        const auto copy = receive_within(fake.get(), 5s);
        ASSERT_TRUE(copy) << "copy " << i + 1 << " of the request never came: retransmit after a timeout";
        copies.push_back(copy->bytes);
        times.push_back(Clock::now());
        if (i == 2) {
            send_to(fake.get(), wire(kResponse, 7, "finally"), copy->sender);
        }
    }
    const RequestResult result = result_of(pending);
    ASSERT_TRUE(result);
    EXPECT_EQ(text_of(result.reply), "finally");
    EXPECT_EQ(result.attempts, 3);
    EXPECT_EQ(client.stats().retransmissions, 2u);
    EXPECT_BYTES_EQ(copies[0], copies[1]) << "a retransmission is the same datagram, same sequence number";
    EXPECT_BYTES_EQ(copies[0], copies[2]);
    EXPECT_GE(times[1] - times[0], 40ms) << "resent before its timeout";
    EXPECT_FALSE(receive_within(fake.get(), 100ms)) << "sent again after the answer came";
}

GRADED_TEST(Lab02Reliable, TimeoutWhenServerIsGone, 2) {
    ServerThread server(
        [](std::span<const std::byte> request) { return bytes_of("ok " + text_of(request)); });
    const LossyUdpRelay relay("127.0.0.1", server.port(), LossOptions{});
    RetryPolicy policy;
    policy.timeout = 50ms;
    policy.attempts = 4;
    policy.deadline = 5s;
    ReliableClient client(connect_to(relay.host(), relay.port(), SOCK_DGRAM), policy);
    {
        SCOPED_TRACE("through the relay, with the server up");
        const RequestResult up = client.request(bytes_of("ping"));
        ASSERT_TRUE(up) << "no reply; server failure: " << server.failure();
        EXPECT_EQ(text_of(up.reply), "ok ping");
    }
    server.stop();
    {
        SCOPED_TRACE("server gone, relay still there: 4 attempts (50+100+200+400 ms), then a no_reply value");
        const RequestResult down = client.request(bytes_of("ping"));
        EXPECT_EQ(down.status, RequestStatus::no_reply);
        EXPECT_EQ(down.attempts, 4);
        EXPECT_GE(down.elapsed, 700ms) << "gave up early (does the wait double after each send?)";
        EXPECT_LT(down.elapsed, 3000ms);
    }
    {
        SCOPED_TRACE("the total deadline wins over the attempts: 100 attempts, deadline 300 ms");
        policy.attempts = 100;
        policy.deadline = 300ms;
        ReliableClient impatient(connect_to(relay.host(), relay.port(), SOCK_DGRAM), policy);
        const auto start = Clock::now();
        const RequestResult down = impatient.request(bytes_of("ping"));
        const auto elapsed = Clock::now() - start;
        EXPECT_EQ(down.status, RequestStatus::no_reply);
        EXPECT_GE(elapsed, 290ms);
        EXPECT_LT(elapsed, 2000ms) << "the deadline must bound the whole request";
    }
    {
        SCOPED_TRACE("straight to a closed port (no relay): ICMP says no one listens, a 'refused' value");
        std::uint16_t closed = 0;
        {
            const UniqueFd gone = listen_loopback(AF_INET, SOCK_DGRAM);
            closed = bound_port(gone.get());
        }
        ReliableClient direct(connect_to("127.0.0.1", closed, SOCK_DGRAM), policy);
        EXPECT_EQ(direct.request(bytes_of("ping")).status, RequestStatus::refused);
    }
}

GRADED_TEST(Lab02Reliable, ExactlyOnceThroughLossyRelay, 3) {
    std::mutex mutex;
    std::map<std::string, int> runs;  // request payload -> how often the handler ran for it
    ServerThread server([&](std::span<const std::byte> request) {
        std::lock_guard lock(mutex);
        ++runs[text_of(request)];
        return bytes_of("reply to " + text_of(request));
    });
    LossOptions faults;
    faults.drop = 0.30;
    faults.duplicate = 0.10;
    faults.reorder = 0.10;
    faults.hold = 10ms;
    faults.seed = 2024;
    const LossyUdpRelay relay("127.0.0.1", server.port(), faults);
    RetryPolicy policy;
    policy.timeout = 10ms;
    policy.max_timeout = 80ms;
    policy.attempts = 60;
    policy.deadline = 10s;
    ReliableClient client(connect_to(relay.host(), relay.port(), SOCK_DGRAM), policy);

    constexpr int kRequests = 200;
    SCOPED_TRACE("200 requests through 30% loss, 10% duplication and 10% reordering each way (seed 2024)");
    const auto start = Clock::now();
    int most_attempts = 0;
    for (int i = 0; i < kRequests; ++i) {
        const std::string payload = "request #" + std::to_string(i);
        const RequestResult result = client.request(bytes_of(payload));
        ASSERT_TRUE(result) << payload << " was not answered after " << result.attempts
                            << " attempts; server failure: " << server.failure()
                            << "; relay failure: " << relay.failure();
        ASSERT_EQ(text_of(result.reply), "reply to " + payload) << "a reply to another request was taken";
        most_attempts = std::max(most_attempts, result.attempts);
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    server.stop();

    SCOPED_TRACE("every request ran exactly once on the server");
    EXPECT_EQ(runs.size(), static_cast<std::size_t>(kRequests));
    for (const auto& [payload, count] : runs) {
        EXPECT_EQ(count, 1) << "the handler ran " << count << " times for '" << payload << "'";
    }
    const ServerStats stats = server.stats();
    EXPECT_EQ(stats.executed, static_cast<std::uint64_t>(kRequests));
    EXPECT_GT(stats.duplicates, 0u) << "with this much loss some requests must have come twice";
    EXPECT_LT(elapsed, 30s);

    const RelayCounts counts = relay.counts();
    for (const auto* direction : {&counts.to_server, &counts.to_client}) {
        EXPECT_GT(direction->dropped, 0u);
        EXPECT_GT(direction->duplicated, 0u);
        EXPECT_GT(direction->reordered, 0u);
    }
    std::cout << "lossy relay: " << kRequests << " requests in " << elapsed.count() << " ms, at most "
              << most_attempts << " attempts; client sent " << client.stats().sent << ", stale replies "
              << client.stats().stale_replies << "; server ran " << stats.executed << ", duplicates "
              << stats.duplicates << "\n  to server: received " << counts.to_server.received << ", dropped "
              << counts.to_server.dropped << ", duplicated " << counts.to_server.duplicated << ", reordered "
              << counts.to_server.reordered << "\n  to client: received " << counts.to_client.received
              << ", dropped " << counts.to_client.dropped << ", duplicated " << counts.to_client.duplicated
              << ", reordered " << counts.to_client.reordered << std::endl;
}
