// Lab 03 Part C, UdpSocket over loopback: a datagram and its sender, a reply to that sender,
// would-block and empty datagrams, the truncation flag with the true size, and a connected
// socket that hears ECONNREFUSED.

#include <sys/socket.h>

#include <cerrno>
#include <system_error>
#include <type_traits>

#include "03_encapsulation/core/udp_socket.hpp"
#include "bytes.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using core::Address;
using core::IoStatus;
using core::Received;
using core::UdpSocket;

static_assert(!std::is_copy_constructible_v<UdpSocket> && std::is_nothrow_move_constructible_v<UdpSocket>);

UdpSocket bind_loopback() {
    return UdpSocket::bind(loopback_address(AF_INET));
}

/// Waits up to 5 s for a datagram, then receives it into buffer.
Received receive_within(UdpSocket& socket, std::span<std::byte> buffer) {
    if (!wait_for_events(socket.get(), POLLIN, 5s)) {
        throw std::runtime_error("no datagram within 5 s");
    }
    return socket.receive_from(buffer);
}

GRADED_TEST(Lab03Core, UdpDatagramsAndTheirSenders, 1) {
    UdpSocket server = bind_loopback();
    UdpSocket client = bind_loopback();
    std::byte buffer[1500];
    {
        SCOPED_TRACE("client -> server \"ping\": one datagram, from the client's address");
        ASSERT_EQ(client.send_to(bytes_of("ping"), server.local_address()).size, 4u);
        const Received got = receive_within(server, buffer);
        ASSERT_TRUE(got);
        EXPECT_EQ(got.size, 4u);
        EXPECT_FALSE(got.truncated);
        EXPECT_EQ(text_of(std::span(buffer).first(got.size)), "ping");
        EXPECT_EQ(got.sender, client.local_address());
        SCOPED_TRACE("the server replies to the sender it was given");
        server.send_to(bytes_of("pong"), got.sender);
        const Received reply = receive_within(client, buffer);
        ASSERT_TRUE(reply);
        EXPECT_EQ(text_of(std::span(buffer).first(reply.size)), "pong");
        EXPECT_EQ(reply.sender, server.local_address());
    }
    {
        SCOPED_TRACE("an empty datagram is a datagram (data, size 0), not an end of stream");
        client.send_to({}, server.local_address());
        const Received got = receive_within(server, buffer);
        EXPECT_EQ(got.status, IoStatus::data);
        EXPECT_EQ(got.size, 0u);
    }
    {
        SCOPED_TRACE("non-blocking with nothing queued: would_block");
        server.set_nonblocking();
        const Received got = server.receive_from(buffer);
        EXPECT_EQ(got.status, IoStatus::would_block);
        EXPECT_FALSE(got);
    }
    SCOPED_TRACE(
        "a connected socket sending to a closed port hears ECONNREFUSED from receive_from (\"recvfrom\")");
    Address closed;
    {
        const UdpSocket gone = bind_loopback();
        closed = gone.local_address();
    }
    UdpSocket connected = UdpSocket::open(AF_INET);
    connected.connect(closed);
    connected.send(bytes_of("anyone?"));
    ASSERT_TRUE(wait_for_events(connected.get(), POLLIN, 5s)) << "the ICMP error should arrive";
    try {
        (void)connected.receive_from(buffer);
        ADD_FAILURE() << "receive_from returned instead of throwing";
    } catch (const std::system_error& error) {
        EXPECT_EQ(error.code(), std::errc::connection_refused) << error.what();
        EXPECT_EQ(std::string(error.what()).rfind("recvfrom", 0), 0u) << error.what();
    }
}

GRADED_TEST(Lab03Core, UdpTruncationFlagAndTrueSize, 2) {
    UdpSocket server = bind_loopback();
    UdpSocket client = bind_loopback();
    const std::string big = random_bytes(100, 51);
    std::byte small[10];
    {
        SCOPED_TRACE("100 bytes into a 10-byte buffer: truncated, size 100, the first 10 bytes kept");
        client.send_to(bytes_of(big), server.local_address());
        const Received got = receive_within(server, small);
        ASSERT_TRUE(got) << "a truncated datagram is still data";
        EXPECT_TRUE(got.truncated);
        EXPECT_EQ(got.size, 100u) << "the datagram's true size";
        EXPECT_BYTES_EQ(big.substr(0, 10), text_of(small));
    }
    {
        SCOPED_TRACE("the rest of it is gone: the next datagram (5 bytes) is whole, not truncated");
        client.send_to(bytes_of("after"), server.local_address());
        const Received got = receive_within(server, small);
        ASSERT_TRUE(got);
        EXPECT_FALSE(got.truncated);
        EXPECT_EQ(got.size, 5u);
        EXPECT_EQ(text_of(std::span(small).first(5)), "after");
    }
    SCOPED_TRACE("exactly the buffer's size is not truncated");
    client.send_to(bytes_of(big.substr(0, 10)), server.local_address());
    const Received got = receive_within(server, small);
    EXPECT_FALSE(got.truncated);
    EXPECT_EQ(got.size, 10u);
}

}  // namespace
}  // namespace netlab::testing
