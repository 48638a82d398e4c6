// The LossyUdpRelay itself (tests/support, reused by later labs): it forwards both ways, its
// faults come in the proportions asked for, and the same seed gives the same faults.
// Worth 0 points: it checks the test harness, not the learner's code.

#include <string>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab02_helpers.hpp"
#include "lossy_relay.hpp"
#include "test_socket.hpp"

namespace {

using namespace netlab;
using namespace netlab::testing;
using namespace std::chrono_literals;

/// Sends count datagrams through a fresh relay in batches, waiting for the relay to take each
/// batch (so no kernel buffer overflows); returns its counts and how many reached the server.
std::pair<RelayCounts, int> push_through(const LossOptions& options, int count) {
    const UniqueFd server = listen_loopback(AF_INET, SOCK_DGRAM);
    const LossyUdpRelay relay("127.0.0.1", bound_port(server.get()), options);
    const UniqueFd client = connect_to(relay.host(), relay.port(), SOCK_DGRAM);
    int arrived = 0;
    for (int sent = 0; sent < count;) {
        for (int i = 0; i < 50 && sent < count; ++i, ++sent) {
            const std::string text = std::to_string(sent);
            ::send(client.get(), text.data(), text.size(), 0);
        }
        const auto expected = static_cast<std::uint64_t>(sent);
        if (!wait_until([&] { return relay.counts().to_server.received == expected; }, 5s)) {
            break;
        }
        while (receive_within(server.get(), 0ms)) {
            ++arrived;
        }
    }
    while (receive_within(server.get(), 50ms)) {  // stragglers: 50 ms of silence ends the count
        ++arrived;
    }
    return {relay.counts(), arrived};
}

}  // namespace

GRADED_TEST(Lab02Support, LossyRelayForwardsAndMisbehavesAsAsked, 0) {
    {
        SCOPED_TRACE("no faults: both directions forward everything, in order");
        const UniqueFd server = listen_loopback(AF_INET, SOCK_DGRAM);
        const LossyUdpRelay relay("127.0.0.1", bound_port(server.get()), LossOptions{});
        const UniqueFd client = connect_to(relay.host(), relay.port(), SOCK_DGRAM);
        for (int i = 0; i < 20; ++i) {
            const std::string text = "datagram " + std::to_string(i);
            ASSERT_EQ(::send(client.get(), text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
            const auto there = receive_within(server.get(), 2s);
            ASSERT_TRUE(there) << "not forwarded to the server";
            EXPECT_EQ(there->bytes, text);
            send_to(server.get(), "re: " + text, there->sender);
            const auto back = receive_within(client.get(), 2s);
            ASSERT_TRUE(back) << "not forwarded back to the client";
            EXPECT_EQ(back->bytes, "re: " + text);
        }
        // The relay counts a datagram just after sending it: give it a moment to finish counting.
        EXPECT_TRUE(wait_until([&] { return relay.counts().to_client.sent == 20u; }, 2s));
        EXPECT_EQ(relay.counts().to_server.sent, 20u);
        EXPECT_EQ(relay.counts().to_client.sent, 20u);
    }
    {
        SCOPED_TRACE("30% drop over 1000 datagrams: about 300 dropped, the rest arrive, and it repeats");
        LossOptions lossy;
        lossy.drop = 0.3;
        lossy.seed = 99;
        const auto [counts, arrived] = push_through(lossy, 1000);
        EXPECT_EQ(counts.to_server.received, 1000u);
        EXPECT_GT(counts.to_server.dropped, 230u);
        EXPECT_LT(counts.to_server.dropped, 370u);
        EXPECT_EQ(static_cast<std::uint64_t>(arrived), 1000u - counts.to_server.dropped);
        const auto [again, arrived_again] = push_through(lossy, 1000);
        EXPECT_EQ(again.to_server.dropped, counts.to_server.dropped)
            << "the same seed must give the same faults";
        EXPECT_EQ(arrived_again, arrived);
    }
    {
        SCOPED_TRACE("duplication 1.0: every datagram arrives twice");
        LossOptions doubled;
        doubled.duplicate = 1.0;
        const auto [counts, arrived] = push_through(doubled, 100);
        EXPECT_EQ(counts.to_server.duplicated, 100u);
        EXPECT_EQ(arrived, 200);
    }
}
