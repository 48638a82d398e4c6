// Lab 03 Part C, TcpListener and TcpStream over loopback. The listener alone (checked with plain
// send/recv): port 0 on IPv4 and IPv6, a taken port, accept's would-block on a non-blocking
// listener. Then the stream: round trips on both families, read_some's three outcomes, write_some's
// would-block, write_all through a full send buffer, and a write to a reset peer that throws, not kills.
// Every blocking step is bounded: poll() with a deadline first, or SO_RCVTIMEO/SO_SNDTIMEO.

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>
#include <type_traits>

#include "03_encapsulation/core/tcp_listener.hpp"
#include "bytes.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using core::Address;
using core::IoResult;
using core::IoStatus;
using core::TcpListener;
using core::TcpStream;

static_assert(!std::is_copy_constructible_v<TcpStream> && !std::is_copy_assignable_v<TcpStream>);
static_assert(std::is_nothrow_move_constructible_v<TcpStream> &&
              std::is_nothrow_move_assignable_v<TcpStream>);
static_assert(!std::is_copy_constructible_v<TcpListener> &&
              std::is_nothrow_move_constructible_v<TcpListener>);

const char* status_name(IoStatus status) {
    switch (status) {
        case IoStatus::data:
            return "data";
        case IoStatus::eof:
            return "eof";
        case IoStatus::would_block:
            return "would_block";
    }
    return "?";
}

/// A listener on loopback port 0 of family.
TcpListener listen_on(int family = AF_INET) {
    return TcpListener::bind(loopback_address(family));
}

/// Accepts one connection, waiting at most 5 s for it; throws if none comes.
core::Accepted accept_within(TcpListener& listener, core::StreamMode mode = core::StreamMode::blocking) {
    if (!wait_for_events(listener.get(), POLLIN, 5s)) {
        throw std::runtime_error("no connection to accept within 5 s");
    }
    auto accepted = listener.accept(mode);
    if (!accepted) {
        throw std::runtime_error("accept() said would-block on a listener poll() said was readable");
    }
    set_io_timeouts(accepted->stream.get(), 10s);
    return std::move(*accepted);
}

/// Reads with read_some until want bytes came (polling first, so nothing blocks for long).
std::string read_exactly_from(TcpStream& stream, std::size_t want) {
    std::string got;
    std::vector<std::byte> buffer(64 * 1024);
    while (got.size() < want) {
        if (!wait_for_events(stream.get(), POLLIN, 10s)) {
            throw std::runtime_error("read_some: nothing to read within 10 s after " +
                                     std::to_string(got.size()) + " of " + std::to_string(want) + " bytes");
        }
        const IoResult result =
            stream.read_some(std::span(buffer).first(std::min(buffer.size(), want - got.size())));
        if (result.eof()) {
            throw std::runtime_error("read_some: unexpected EOF after " + std::to_string(got.size()) +
                                     " bytes");
        }
        got += text_of(std::span(buffer).first(result.size));
    }
    return got;
}

/// A listener on family's loopback, a core client connected to it, the accepted server side; then bytes both
/// ways.
void expect_loopback_round_trip(int family) {
    TcpListener listener = listen_on(family);
    const Address bound = listener.local_address();
    {
        SCOPED_TRACE("local_address() after binding port 0 tells the port the kernel chose");
        EXPECT_EQ(bound.family(), family);
        EXPECT_NE(bound.port(), 0);
        EXPECT_EQ(bound, loopback_address(family, bound.port()));
    }
    TcpStream client = TcpStream::connect(bound);
    set_io_timeouts(client.get(), 10s);
    core::Accepted server = accept_within(listener);
    {
        SCOPED_TRACE("both ends agree on who is who");
        EXPECT_EQ(server.peer, client.local_address());
        EXPECT_EQ(server.stream.peer_address(), client.local_address());
        EXPECT_EQ(client.peer_address(), bound);
        EXPECT_EQ(server.stream.local_address(), bound);
    }
    SCOPED_TRACE("64 KiB client -> server with write_all, and 64 KiB back");
    const std::string request = random_bytes(64 * 1024, 31);
    {
        BackgroundTask writer([&] { client.write_all(bytes_of(request)); }, [&] { client.shutdown_both(); });
        EXPECT_BYTES_EQ(request, read_exactly_from(server.stream, request.size()));
        EXPECT_TRUE(writer.wait(10s));
        EXPECT_EQ(writer.error(), "");
    }
    const std::string reply = random_bytes(64 * 1024, 32);
    BackgroundTask replier([&] { server.stream.write_all(bytes_of(reply)); },
                           [&] { server.stream.shutdown_both(); });
    EXPECT_BYTES_EQ(reply, read_exactly_from(client, reply.size()));
    EXPECT_TRUE(replier.wait(10s));
    EXPECT_EQ(replier.error(), "");
}

GRADED_TEST(Lab03Core, ListenerBindsPortZeroAndRefusesATakenPort, 1) {
    for (const int family : {AF_INET, AF_INET6}) {
        SCOPED_TRACE(family == AF_INET ? "IPv4" : "IPv6");
        TcpListener listener = listen_on(family);
        const Address bound = listener.local_address();
        EXPECT_EQ(bound.family(), family);
        ASSERT_NE(bound.port(), 0) << "local_address() after binding port 0 tells the port the kernel chose";
        EXPECT_EQ(bound, loopback_address(family, bound.port()));
        EXPECT_NE(::fcntl(listener.get(), F_GETFD) & FD_CLOEXEC, 0) << "the listener is FD_CLOEXEC";
        const UniqueFd client = connect_to(loopback(family), bound.port());
        core::Accepted accepted = accept_within(listener);
        EXPECT_EQ(accepted.peer.port(), bound_port(client.get())) << "accept() tells who connected";
        EXPECT_NE(::fcntl(accepted.stream.get(), F_GETFD) & FD_CLOEXEC, 0) << "FD_CLOEXEC";
        EXPECT_EQ(::fcntl(accepted.stream.get(), F_GETFL) & O_NONBLOCK, 0) << "blocking unless asked";
        SCOPED_TRACE("the accepted stream is the client's connection (plain send and recv)");
        ASSERT_TRUE(send_within(client.get(), "hi", 5s));
        EXPECT_EQ(read_exactly(accepted.stream.get(), 2, 5s), std::optional<std::string>("hi"));
    }
    SCOPED_TRACE("binding a port that is taken throws std::system_error named after bind, EADDRINUSE");
    TcpListener first = listen_on();
    const Address taken = first.local_address();
    try {
        TcpListener second = TcpListener::bind(taken);
        ADD_FAILURE() << "a second listener bound " << taken.to_string();
    } catch (const std::system_error& error) {
        EXPECT_EQ(error.code(), std::errc::address_in_use) << error.what();
        EXPECT_EQ(std::string(error.what()).rfind("bind", 0), 0u)
            << "the message starts with the call: " << error.what();
    }
}

GRADED_TEST(Lab03Core, AcceptWouldBlockOnNonBlockingListener, 2) {
    TcpListener listener = listen_on();
    listener.set_nonblocking();
    {
        SCOPED_TRACE("nobody is connecting: accept() returns nullopt at once");
        const auto none = listener.accept();
        EXPECT_FALSE(none.has_value());
    }
    const UniqueFd client = connect_to("127.0.0.1", listener.local_address().port());
    {
        SCOPED_TRACE(
            "a client connected: accept(nonblocking) gives its stream, close-on-exec and non-blocking");
        core::Accepted accepted = accept_within(listener, core::StreamMode::nonblocking);
        EXPECT_EQ(accepted.peer.port(), bound_port(client.get()));
        EXPECT_NE(::fcntl(accepted.stream.get(), F_GETFD) & FD_CLOEXEC, 0) << "FD_CLOEXEC";
        EXPECT_NE(::fcntl(accepted.stream.get(), F_GETFL) & O_NONBLOCK, 0) << "O_NONBLOCK";
        char buffer[16];
        const ssize_t got = ::recv(accepted.stream.get(), buffer, sizeof buffer, 0);
        const int error = errno;
        EXPECT_EQ(got, -1) << "nothing was sent yet";
        EXPECT_TRUE(error == EAGAIN || error == EWOULDBLOCK) << "recv on it says would-block: " << error;
    }
    SCOPED_TRACE("and once it is taken, nullopt again");
    EXPECT_FALSE(listener.accept().has_value());
}

GRADED_TEST(Lab03Core, ListenerIpv4PortZero, 2) {
    expect_loopback_round_trip(AF_INET);
}

GRADED_TEST(Lab03Core, ListenerIpv6PortZero, 2) {
    expect_loopback_round_trip(AF_INET6);
}

GRADED_TEST(Lab03Core, ReadSomeGivesDataEofOrWouldBlock, 3) {
    TcpListener listener = listen_on();
    UniqueFd client = connect_to("127.0.0.1", listener.local_address().port());
    core::Accepted server = accept_within(listener);
    std::byte buffer[64];
    {
        SCOPED_TRACE("blocking: one byte sent, read_some returns it as data");
        ASSERT_TRUE(send_within(client.get(), "x", 5s));
        const IoResult got = server.stream.read_some(buffer);  // SO_RCVTIMEO bounds the wait
        ASSERT_EQ(got.status, IoStatus::data) << status_name(got.status);
        EXPECT_TRUE(got);
        EXPECT_EQ(got.size, 1u);
    }
    server.stream.set_nonblocking();
    {
        SCOPED_TRACE("non-blocking, nothing sent: would_block, which is false");
        const IoResult got = server.stream.read_some(buffer);
        EXPECT_EQ(got.status, IoStatus::would_block) << status_name(got.status);
        EXPECT_FALSE(got);
        EXPECT_TRUE(got.would_block());
    }
    {
        SCOPED_TRACE("an empty buffer reads nothing and is NOT the end of the stream");
        const IoResult got = server.stream.read_some({});
        EXPECT_EQ(got.status, IoStatus::data) << status_name(got.status);
        EXPECT_EQ(got.size, 0u);
    }
    {
        SCOPED_TRACE("\"hello\" sent: data, 5 bytes; then would_block again");
        ASSERT_TRUE(send_within(client.get(), "hello", 5s));
        ASSERT_TRUE(wait_for_events(server.stream.get(), POLLIN, 5s));
        const IoResult got = server.stream.read_some(buffer);
        ASSERT_EQ(got.status, IoStatus::data) << status_name(got.status);
        EXPECT_EQ(text_of(std::span(buffer).first(got.size)), "hello");
        EXPECT_EQ(server.stream.read_some(buffer).status, IoStatus::would_block);
    }
    SCOPED_TRACE("the client half-closes: eof, and eof again; the server can still write back");
    ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    ASSERT_TRUE(wait_for_events(server.stream.get(), POLLIN, 5s));
    const IoResult end = server.stream.read_some(buffer);
    EXPECT_EQ(end.status, IoStatus::eof) << status_name(end.status);
    EXPECT_FALSE(end);
    EXPECT_TRUE(end.eof());
    EXPECT_EQ(server.stream.read_some(buffer).status, IoStatus::eof);
    server.stream.write_all(bytes_of("bye"));
    server.stream.shutdown_write();
    EXPECT_EQ(read_to_eof(client.get(), 5s), "bye");
}

GRADED_TEST(Lab03Core, WriteSomeWouldBlockThenWriteAllWaits, 1) {
    TcpListener listener = listen_on();
    const UniqueFd client = connect_to("127.0.0.1", listener.local_address().port());
    core::Accepted server = accept_within(listener, core::StreamMode::nonblocking);
    set_buffer_sizes(server.stream.get(), 4096,
                     4096);  // not the client's: shrinking a receive window stalls TCP
    std::string queued;
    {
        SCOPED_TRACE("non-blocking, the peer reads nothing: write_some takes bytes until would_block");
        const std::string chunk = random_bytes(16 * 1024, 41);
        bool blocked = false;
        for (int i = 0; i < 4096 && !blocked; ++i) {  // at most 64 MiB: far beyond any socket buffer
            const IoResult sent = server.stream.write_some(bytes_of(chunk));
            blocked = sent.would_block();
            if (sent) {
                EXPECT_GT(sent.size, 0u);
                queued += chunk.substr(0, sent.size);
            }
        }
        ASSERT_TRUE(blocked) << "never would_block after " << queued.size() << " bytes";
        ASSERT_FALSE(queued.empty()) << "nothing was taken before would_block";
    }
    SCOPED_TRACE(
        "write_all on the same non-blocking stream waits for room while the peer reads, and sends it all");
    const std::string rest = random_bytes(1024 * 1024, 42);
    BackgroundTask writer([&] { server.stream.write_all(bytes_of(rest)); },
                          [&] { server.stream.shutdown_both(); });
    const auto received = read_exactly(client.get(), queued.size() + rest.size(), 20s);
    ASSERT_TRUE(received) << "the peer did not get " << queued.size() + rest.size()
                          << " bytes within 20 s; write_all "
                          << (writer.wait(0ms) ? "ended: " + writer.error() : "is still running");
    EXPECT_BYTES_EQ(queued + rest, *received);
    EXPECT_TRUE(writer.wait(10s)) << "write_all did not return after everything was read";
    EXPECT_EQ(writer.error(), "");
}

GRADED_TEST(Lab03Core, WriteToResetPeerThrowsInsteadOfSigpipe, 2) {
    const DefaultSigpipe sigpipe_kills;  // without MSG_NOSIGNAL, this test process would die
    TcpListener listener = listen_on();
    UniqueFd client = connect_to("127.0.0.1", listener.local_address().port());
    core::Accepted server = accept_within(listener);
    SCOPED_TRACE("the client resets (SO_LINGER 0); the server keeps writing");
    reset_connection(std::move(client));
    ASSERT_TRUE(wait_for_events(server.stream.get(), POLLIN, 5s))
        << "the RST should make the socket readable";
    const std::string chunk(1024, 'w');
    std::optional<std::system_error> failure;
    for (int i = 0; i < 1000 && !failure; ++i) {
        try {
            server.stream.write_all(bytes_of(chunk));
        } catch (const std::system_error& error) {
            failure = error;
        }
    }
    ASSERT_TRUE(failure.has_value()) << "1000 writes to a reset connection all succeeded";
    EXPECT_TRUE(failure->code() == std::errc::broken_pipe || failure->code() == std::errc::connection_reset)
        << failure->what();
    EXPECT_EQ(std::string(failure->what()).rfind("send", 0), 0u) << "named after send: " << failure->what();
    SCOPED_TRACE("and once more, with write_some");
    EXPECT_THROW((void)server.stream.write_some(bytes_of(chunk)), std::system_error);
}

}  // namespace
}  // namespace netlab::testing
