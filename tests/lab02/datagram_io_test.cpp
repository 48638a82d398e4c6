// Lab 02, datagram sockets: bind_udp/connect_udp, and send/receive keeping message boundaries,
// detecting truncation, and waiting with a deadline. The other end of each socket is made
// with plain socket calls (test_socket.hpp), so each test checks only the function it names.

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <thread>
#include <vector>

#include "02_datagram/datagram_io.hpp"
#include "02_datagram/udp_socket.hpp"
#include "bytes.hpp"
#include "common/endpoint.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab02_helpers.hpp"
#include "test_socket.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;
using namespace netlab::testing;
using namespace std::chrono_literals;

/// A test-side pair: a bound "server" socket and a "client" connected to it.
struct Pair {
    UniqueFd server;
    UniqueFd client;
};

Pair make_pair(int family = AF_INET) {
    Pair pair;
    pair.server = listen_loopback(family, SOCK_DGRAM);
    pair.client = connect_to(loopback(family), bound_port(pair.server.get()), SOCK_DGRAM);
    return pair;
}

/// A loopback port that nothing listens on (bound, read back, closed).
std::uint16_t closed_port(int family) {
    const UniqueFd fd = listen_loopback(family, SOCK_DGRAM);
    return bound_port(fd.get());
}

std::string received_text(const std::vector<std::byte>& buffer, const Datagram& datagram) {
    return text_of(std::span(buffer.data(), std::min(datagram.size, buffer.size())));
}

std::atomic<int> signals_caught{0};
extern "C" void count_signal(int) {
    signals_caught.fetch_add(1);
}

/// Installs a SIGUSR1 handler without SA_RESTART (so blocking calls fail with EINTR); restores on exit.
class InterruptingSignal {
public:
    InterruptingSignal() {
        struct sigaction action {};
        action.sa_handler = count_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;
        ::sigaction(SIGUSR1, &action, &previous_);
    }
    ~InterruptingSignal() { ::sigaction(SIGUSR1, &previous_, nullptr); }

private:
    struct sigaction previous_ {};
};

}  // namespace

GRADED_TEST(Lab02Socket, BindsAndConnectsOverIPv4AndIPv6, 4) {
    for (const int family : {AF_INET, AF_INET6}) {
        const std::string host = loopback(family);
        SCOPED_TRACE("bind_udp(\"" + host + "\", 0), then connect_udp to the port it got");
        const UniqueFd server = bind_udp(host, 0);
        ASSERT_TRUE(server) << "bind_udp returned no descriptor";
        EXPECT_NE(::fcntl(server.get(), F_GETFD) & FD_CLOEXEC, 0) << "create sockets with SOCK_CLOEXEC";
        int type = 0;
        socklen_t length = sizeof type;
        ASSERT_EQ(::getsockopt(server.get(), SOL_SOCKET, SO_TYPE, &type, &length), 0);
        EXPECT_EQ(type, SOCK_DGRAM) << "a UDP socket is SOCK_DGRAM";
        const PeerAddress server_address = address_of(server.get());
        EXPECT_EQ(server_address.storage.ss_family, family) << "bound to " << to_string(server_address);
        const std::uint16_t port = bound_port(server.get());
        ASSERT_NE(port, 0) << "port 0 means: the kernel picks a free port; getsockname tells which";

        const UniqueFd client = connect_udp(host, port);
        ASSERT_TRUE(client) << "connect_udp returned no descriptor";
        EXPECT_NE(::fcntl(client.get(), F_GETFD) & FD_CLOEXEC, 0) << "create sockets with SOCK_CLOEXEC";
        EXPECT_EQ(netlab::peer_endpoint(client.get()), to_string(server_address))
            << "a connected UDP socket knows its peer (getpeername)";

        SCOPED_TRACE("a datagram sent on the connected socket reaches the bound one");
        ASSERT_EQ(::send(client.get(), "ping", 4, 0), 4);
        const auto got = receive_within(server.get(), 2s);
        ASSERT_TRUE(got) << "nothing arrived within 2 s";
        EXPECT_EQ(got->bytes, "ping");

        SCOPED_TRACE("binding a port that is taken fails with EADDRINUSE");
        try {
            const UniqueFd second = bind_udp(host, port);
            ADD_FAILURE() << "bind_udp(" << host << ", " << port << ") succeeded on a port in use";
        } catch (const std::system_error& error) {
            EXPECT_EQ(error.code(), std::errc::address_in_use) << error.what();
        }
    }
}

GRADED_TEST(Lab02Io, KeepsMessageBoundaries, 7) {
    const Pair pair = make_pair();
    const std::vector<std::size_t> sizes{0, 1, 60000};
    SCOPED_TRACE("send three datagrams of 0, 1 and 60000 bytes with send_datagram");
    std::vector<std::string> sent;
    for (const std::size_t size : sizes) {
        sent.push_back(random_bytes(size, static_cast<std::uint32_t>(size)));
        EXPECT_EQ(send_datagram(pair.client.get(), bytes_of(sent.back())), size)
            << "send_datagram returns the size of the datagram it sent";
    }
    SCOPED_TRACE("three receive_datagram calls return exactly those three, whole and in order");
    std::vector<std::byte> buffer(kMaxUdpPayload);
    const PeerAddress client_address = address_of(pair.client.get());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        SCOPED_TRACE("datagram " + std::to_string(i + 1) + " of " + std::to_string(sizes[i]) + " bytes");
        ASSERT_TRUE(wait_readable(pair.server.get(), 2s)) << "nothing arrived within 2 s";
        const Datagram datagram = receive_datagram(pair.server.get(), buffer);
        EXPECT_EQ(datagram.size, sizes[i]) << "one receive returns one datagram: no more, no less "
                                              "(a 0-byte datagram is a datagram, not end-of-file)";
        EXPECT_FALSE(datagram.truncated);
        EXPECT_BYTES_EQ(sent[i], received_text(buffer, datagram));
        EXPECT_TRUE(datagram.sender == client_address)
            << "sender should be " << to_string(client_address) << ", got " << to_string(datagram.sender);
    }
    SCOPED_TRACE("send_datagram_to answers the sender, again as one datagram");
    EXPECT_EQ(send_datagram_to(pair.server.get(), bytes_of(sent[2]), client_address), sent[2].size());
    const auto reply = receive_within(pair.client.get(), 2s);
    ASSERT_TRUE(reply) << "the reply did not arrive within 2 s";
    EXPECT_BYTES_EQ(sent[2], reply->bytes);
}

GRADED_TEST(Lab02Io, DetectsTruncation, 7) {
    const Pair pair = make_pair();
    const std::string big = random_bytes(2000, 7);
    ASSERT_EQ(::send(pair.client.get(), big.data(), big.size(), 0), 2000);
    ASSERT_EQ(::send(pair.client.get(), "after", 5, 0), 5);

    SCOPED_TRACE("a 2000-byte datagram into a 100-byte buffer");
    std::vector<std::byte> small(100);
    ASSERT_TRUE(wait_readable(pair.server.get(), 2s)) << "nothing arrived within 2 s";
    const Datagram cut = receive_datagram(pair.server.get(), small);
    EXPECT_TRUE(cut.truncated) << "the datagram did not fit: truncated must say so";
    EXPECT_EQ(cut.size, 2000u) << "size is the datagram's true size (recvmsg with MSG_TRUNC tells it)";
    EXPECT_BYTES_EQ(big.substr(0, 100), text_of(small)) << "the buffer holds the first 100 bytes";

    SCOPED_TRACE("the rest of the cut datagram is gone: the next receive is the next datagram");
    std::vector<std::byte> buffer(kMaxUdpPayload);
    const Datagram next = receive_datagram(pair.server.get(), buffer);
    EXPECT_FALSE(next.truncated);
    EXPECT_BYTES_EQ("after", received_text(buffer, next));

    SCOPED_TRACE("receive_datagram_within reports truncation too");
    ASSERT_EQ(::send(pair.client.get(), big.data(), big.size(), 0), 2000);
    const auto within = receive_datagram_within(pair.server.get(), small, 2s);
    ASSERT_TRUE(within) << "no datagram within 2 s";
    EXPECT_TRUE(within->truncated);
    EXPECT_EQ(within->size, 2000u);
}

GRADED_TEST(Lab02Io, ReceiveTimeoutIsAValue, 5) {
    const Pair pair = make_pair();
    std::vector<std::byte> buffer(1500);

    SCOPED_TRACE("nothing is sent: receive_datagram_within(200 ms) returns std::nullopt after about 200 ms");
    auto start = Clock::now();
    const auto nothing = receive_datagram_within(pair.server.get(), buffer, 200ms);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    EXPECT_FALSE(nothing) << "no datagram was sent, yet one was returned";
    EXPECT_GE(elapsed, 190ms) << "returned before the timeout";
    EXPECT_LT(elapsed, 1500ms) << "kept waiting long after the timeout";

    SCOPED_TRACE("timeout 0 only looks: returns at once");
    start = Clock::now();
    EXPECT_FALSE(receive_datagram_within(pair.server.get(), buffer, 0ms));
    EXPECT_LT(Clock::now() - start, 500ms);

    SCOPED_TRACE("a datagram is waiting: returned at once, not after the timeout");
    ASSERT_EQ(::send(pair.client.get(), "here", 4, 0), 4);
    start = Clock::now();
    const auto got = receive_datagram_within(pair.server.get(), buffer, 10s);
    EXPECT_LT(Clock::now() - start, 2s) << "waited for the timeout although a datagram was there";
    ASSERT_TRUE(got) << "the datagram that was sent did not come back";
    EXPECT_BYTES_EQ("here", received_text(buffer, *got));
}

GRADED_TEST(Lab02Io, ReceiveSurvivesSignals, 3) {
    const InterruptingSignal interrupting;
    const Pair pair = make_pair();
    std::vector<std::byte> buffer(1500);

    SCOPED_TRACE(
        "signals every millisecond during receive_datagram_within(300 ms): still a timeout, on time");
    std::atomic<bool> done{false};
    std::optional<Datagram> result;
    std::string error;
    std::chrono::milliseconds elapsed{0};
    std::thread waiter([&] {
        const auto start = Clock::now();
        try {
            result = receive_datagram_within(pair.server.get(), buffer, 300ms);
        } catch (const std::exception& e) {
            error = e.what();
        }
        elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        done = true;
    });
    const int before = signals_caught.load();
    const auto stop_signalling = Clock::now() + 2s;  // bounds the test if EINTR restarts the full timeout
    while (!done && Clock::now() < stop_signalling) {
        ::pthread_kill(waiter.native_handle(), SIGUSR1);
        std::this_thread::sleep_for(1ms);  // pacing between signals, not a wait for a condition
    }
    waiter.join();
    EXPECT_GT(signals_caught.load() - before, 10) << "the test could not interrupt the waiting thread";
    EXPECT_EQ(error, "") << "EINTR is not an error: retry, keeping the same deadline";
    EXPECT_FALSE(result);
    EXPECT_GE(elapsed, 290ms) << "gave up early";
    EXPECT_LT(elapsed, 2000ms) << "the deadline must hold across EINTR (restart with the time that is left)";

    SCOPED_TRACE("signals during a blocking receive_datagram: it keeps waiting and returns the datagram");
    done = false;
    std::string got;
    std::thread receiver([&] {
        try {
            const Datagram datagram = receive_datagram(pair.server.get(), buffer);
            got = received_text(buffer, datagram);
        } catch (const std::exception& e) {
            error = e.what();
        }
        done = true;
    });
    const int start_count = signals_caught.load();
    const bool interrupted = wait_until(
        [&] {
            if (!done)
                ::pthread_kill(receiver.native_handle(), SIGUSR1);
            return done || signals_caught.load() - start_count >= 20;
        },
        5s);
    ASSERT_EQ(::send(pair.client.get(), "still here", 10, 0), 10);
    ASSERT_TRUE(wait_until([&] { return done.load(); }, 5s))
        << "receive_datagram did not return the datagram";
    receiver.join();
    EXPECT_TRUE(interrupted);
    EXPECT_EQ(error, "") << "EINTR is not an error: retry the call";
    EXPECT_EQ(got, "still here");
}

GRADED_TEST(Lab02Io, ConnectedUdpReportsRefused, 5) {
    for (const int family : {AF_INET, AF_INET6}) {
        const std::uint16_t port = closed_port(family);
        SCOPED_TRACE(std::string("connect_udp to closed port ") + loopback(family) + ":" +
                     std::to_string(port) +
                     ", send, receive: ICMP port unreachable comes back as ECONNREFUSED");
        const UniqueFd client = connect_udp(loopback(family), port);
        send_datagram(client.get(), bytes_of("anyone there?"));
        std::vector<std::byte> buffer(1500);
        try {
            const auto reply = receive_datagram_within(client.get(), buffer, 5s);
            ADD_FAILURE() << (reply ? "got a reply from a closed port" : "timed out instead of ECONNREFUSED");
        } catch (const std::system_error& error) {
            EXPECT_EQ(error.code(), std::errc::connection_refused) << "got: " << error.what();
        }
    }
}

GRADED_TEST(Lab02Io, ConnectedUdpFiltersOtherPeers, 3) {
    const UniqueFd server = listen_loopback(AF_INET, SOCK_DGRAM);
    const UniqueFd stranger = listen_loopback(AF_INET, SOCK_DGRAM);
    const UniqueFd client = connect_udp("127.0.0.1", bound_port(server.get()));
    const PeerAddress client_address = address_of(client.get());

    SCOPED_TRACE("a stranger sends to the connected client first, then the server does");
    send_to(stranger.get(), "from a stranger", client_address);
    send_to(server.get(), "from the server", client_address);
    std::vector<std::byte> buffer(1500);
    const auto got = receive_datagram_within(client.get(), buffer, 2s);
    ASSERT_TRUE(got) << "the server's datagram did not arrive within 2 s";
    EXPECT_EQ(received_text(buffer, *got), "from the server")
        << "a connected UDP socket only receives from its peer; the kernel drops the rest";
    EXPECT_TRUE(got->sender == address_of(server.get())) << "sender: " << to_string(got->sender);
}
