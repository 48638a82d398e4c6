// Lab 05, the echo server's pieces in-process, each needing only its own exercise row and the rows
// before it: one turn of the loop accepts and counts clients up to the limit (on_accept); a
// Connection over a socketpair, with callbacks the test sets itself, echoes and pauses without
// on_write (on_read, send_or_queue); then on_write resumes it, and the whole server echoes small
// messages. No client sends EOF while the loop runs, no idle timeout comes due, and every read
// stays below libevent's 4096-byte cap: on_event, read_more and on_eof never run here.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "05_libevent/echo/echo_connection.hpp"
#include "05_libevent/echo/echo_server.hpp"
#include "05_libevent/event/buffer_event.hpp"
#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/read_event.hpp"
#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "event_loop.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using libevent::BufferEvent;
using libevent::EchoOptions;
using libevent::EchoServer;
using libevent::EventBase;
using libevent::ReadEvent;

/// The largest message here: one byte below libevent 2.1's read cap, so on_read never calls read_more.
constexpr std::size_t kLargestRead = 4095;
/// The size of each message the backpressure tests feed, one per read callback.
constexpr std::size_t kMessage = 1000;

/// Clients that finished the handshake and wait for accept() (TCP_INFO of a listener: the queue length).
std::size_t accept_queue_length(int listener) {
    tcp_info info{};
    socklen_t length = sizeof info;
    check_syscall("getsockopt TCP_INFO", ::getsockopt(listener, IPPROTO_TCP, TCP_INFO, &info, &length));
    return info.tcpi_unacked;
}

/// The bytes an evbuffer holds, left in place (evbuffer_peek: a bufferevent's output is frozen at
/// its start, so evbuffer_copyout refuses it).
std::string contents(evbuffer* buffer) {
    std::vector<evbuffer_iovec> pieces(
        static_cast<std::size_t>(::evbuffer_peek(buffer, -1, nullptr, nullptr, 0)));
    const int n = ::evbuffer_peek(buffer, -1, nullptr, pieces.data(), static_cast<int>(pieces.size()));
    std::string bytes;
    for (int i = 0; i < n; ++i) {
        bytes.append(static_cast<const char*>(pieces[static_cast<std::size_t>(i)].iov_base),
                     pieces[static_cast<std::size_t>(i)].iov_len);
    }
    return bytes;
}

/// One EchoServer::Connection over a socketpair, made without on_accept: the test sets its callbacks,
/// so on_read can run while on_write is not written. The server only lends the connection its options
/// (its listener accepts nobody). The connection is not in the server's map, and nothing here makes
/// it close itself.
class SocketpairConnection {
public:
    explicit SocketpairConnection(EchoOptions options) : server_(base_, HostPort{"127.0.0.1", 0}, options) {
        auto [ours, theirs] = socket_pair();
        peer_ = std::move(ours);
        connection_.emplace(server_, BufferEvent(base_, std::move(theirs)), "socketpair");
    }

    EventBase& base() noexcept { return base_; }
    EchoServer::Connection& connection() noexcept { return *connection_; }
    evbuffer* output() noexcept { return connection_->bev().output(); }
    /// The client's end.
    int peer() const noexcept { return peer_.get(); }

private:
    EventBase base_;
    EchoServer server_;
    UniqueFd peer_;
    std::optional<EchoServer::Connection> connection_;  // declared last, so freed first
};

/// Sends a stream from the peer one kMessage at a time, the next only when the test says so (after a
/// read callback), so each read callback sees one message, below libevent's cap.
struct Feeder {
    const std::string& stream;
    int peer;
    std::size_t fed = 0;

    [[nodiscard]] bool done() const noexcept { return fed == stream.size(); }
    /// Sends the next message without blocking; what went wrong, or "".
    std::string next() {
        const std::size_t n = std::min(kMessage, stream.size() - fed);
        const ssize_t sent = ::send(peer, stream.data() + fed, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent <= 0) {
            return std::string("the peer's send failed: ") + std::strerror(errno);
        }
        fed += static_cast<std::size_t>(sent);
        return "";
    }
};

/// Runs base's loop until fd has received n bytes (or EOF, or 5 s passed); returns what arrived.
std::string receive_through_loop(EventBase& base, int fd, std::size_t n) {
    std::string received;
    ReadEvent reader(base, fd, [&](bool) {
        const std::string now = receive_now(fd);
        received += now;
        if (received.size() >= n || now.empty()) {  // all of it, or EOF
            base.loopexit();
        }
    });
    reader.start(0ms);
    dispatch_within(base, 5s);
    return received;
}

GRADED_TEST(Lab05EchoInProcess, OneLoopTurnAcceptsAndCountsUpToTheLimit, 3) {
    for (const std::size_t limit : {std::size_t{1000}, std::size_t{2}}) {
        SCOPED_TRACE("max_connections " + std::to_string(limit) +
                     ": three clients wait in the backlog, then the loop runs one turn");
        EventBase base;
        EchoOptions options;
        options.max_connections = limit;
        EchoServer server(base, HostPort{"127.0.0.1", 0}, options);
        const std::uint16_t port = bound_port(server.listener_fd());
        std::vector<UniqueFd> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(connect_to("127.0.0.1", port));
        }
        ASSERT_TRUE(wait_until([&] { return accept_queue_length(server.listener_fd()) == 3; }, 5s))
            << accept_queue_length(server.listener_fd()) << " clients in the accept queue, not 3";
        EXPECT_EQ(server.connection_count(), 0U);
        run_one_turn(base, 5s);
        const std::size_t expected = std::min<std::size_t>(limit, 3);
        EXPECT_EQ(server.connection_count(), expected)
            << "each accepted client is a Connection in connections_; at the limit, update_accepting() "
               "stops the listener";
        EXPECT_EQ(accept_queue_length(server.listener_fd()), 3 - expected)
            << "clients beyond the limit stay in the kernel's backlog";
    }
}

GRADED_TEST(Lab05EchoInProcess, OnReadWritesASmallEchoAtOnceAndKeepsTheOrder, 2) {
    SocketpairConnection pair{EchoOptions{}};
    EchoServer::Connection& connection = pair.connection();
    std::size_t left_in_input = 0;
    std::size_t queued_after_read = 0;
    bool stop_when_drained = false;
    short unexpected_events = 0;
    connection.bev().set_callbacks(
        [&] {
            connection.on_read();
            left_in_input = std::max(left_in_input, ::evbuffer_get_length(connection.bev().input()));
            queued_after_read = std::max(queued_after_read, ::evbuffer_get_length(pair.output()));
            pair.base().loopexit();
        },
        [&] {  // the test's own write callback: on_write is a later row
            if (stop_when_drained) {
                pair.base().loopexit();
            }
        },
        [&](short events, int) {
            unexpected_events = events;
            pair.base().loopexit();
        });
    connection.bev().enable(EV_READ | EV_WRITE);
    for (const std::string& message :
         {std::string("hello"), std::string(1, '\0'), random_bytes(kLargestRead, 7)}) {
        SCOPED_TRACE("the peer sends " + std::to_string(message.size()) +
                     " bytes; nothing is queued, so on_read's echo goes straight to the socket");
        left_in_input = 0;
        queued_after_read = 0;
        ASSERT_TRUE(send_within(pair.peer(), message, 5s));
        dispatch_within(pair.base(), 5s);
        EXPECT_EQ(left_in_input, 0U) << "on_read must echo all of input and leave it empty";
        EXPECT_EQ(queued_after_read, 0U)
            << "the echo waited in output: with nothing queued, send_or_queue writes straight to the "
               "socket (evbuffer_write)";
        if (::evbuffer_get_length(pair.output()) > 0) {  // let libevent write it, to check the bytes
            stop_when_drained = true;
            dispatch_within(pair.base(), 5s);
            stop_when_drained = false;
        }
        EXPECT_BYTES_EQ(message, read_exactly(pair.peer(), message.size(), 5s).value_or(""));
    }
    {
        SCOPED_TRACE("echo still queued (writing disabled): the next echo goes behind it, never ahead");
        connection.bev().disable(EV_WRITE);
        ASSERT_EQ(::evbuffer_add(pair.output(), "queued,", 7), 0);
        ASSERT_TRUE(send_within(pair.peer(), "then this", 5s));
        dispatch_within(pair.base(), 5s);
        EXPECT_EQ(contents(pair.output()), "queued,then this");
        const std::string early = receive_now(pair.peer());
        EXPECT_EQ(early, "") << "bytes were written ahead of the echo already queued";
        stop_when_drained = true;
        connection.bev().enable(EV_WRITE);
        dispatch_within(pair.base(), 5s);
        const std::string expected = "queued,then this";
        const auto rest =
            read_exactly(pair.peer(), expected.size() - std::min(early.size(), expected.size()), 5s);
        EXPECT_EQ(early + rest.value_or(""), expected);
    }
    EXPECT_EQ(unexpected_events, 0) << "the event callback ran: nothing here ends the connection";
}

GRADED_TEST(Lab05EchoInProcess, OnReadPausesReadingAtTheHighWatermark, 2) {
    EchoOptions options;
    options.high_watermark = 32 * 1024;
    SocketpairConnection pair(options);
    EchoServer::Connection& connection = pair.connection();
    const std::string stream = random_bytes(8 * 1024 * 1024, 13);
    Feeder feeder{stream, pair.peer()};
    std::string problem;
    connection.bev().set_callbacks(
        [&] {
            connection.on_read();
            const std::size_t queued = ::evbuffer_get_length(pair.output());
            if (!connection.bev().enabled(EV_READ)) {
                pair.base().loopexit();  // paused: the peer keeps still, the test looks
                return;
            }
            if (queued >= options.high_watermark) {
                problem = "still reading with " + std::to_string(queued) + " bytes of echo queued";
            } else if (feeder.done()) {
                problem = "8 MiB sent by a peer that never reads, and reading never paused";
            } else {
                problem = feeder.next();
            }
            if (!problem.empty()) {
                pair.base().loopexit();
            }
        },
        [] {},  // the test's own write callback: on_write is a later row
        [&](short events, int) {
            problem = "the event callback ran (events " + std::to_string(events) + ")";
            pair.base().loopexit();
        });
    connection.bev().enable(EV_READ | EV_WRITE);
    SCOPED_TRACE("the peer sends 1000-byte messages and never reads; high watermark 32 KiB");
    ASSERT_EQ(feeder.next(), "");
    dispatch_within(pair.base(), 10s);
    ASSERT_EQ(problem, "");
    const std::size_t queued = ::evbuffer_get_length(pair.output());
    EXPECT_FALSE(connection.bev().enabled(EV_READ))
        << "reading is still enabled after 10 s (" << queued << " bytes queued, " << feeder.fed << " sent)";
    EXPECT_GE(queued, options.high_watermark) << "reading paused before the echo reached the high watermark";
    EXPECT_LT(queued, options.high_watermark + kMessage)
        << "reading should pause at the first read that reaches the high watermark";
    SCOPED_TRACE("nothing lost or reordered: what reached the peer, then what is queued, is what it sent");
    EXPECT_BYTES_EQ(stream.substr(0, feeder.fed), receive_now(pair.peer()) + contents(pair.output()));
}

GRADED_TEST(Lab05EchoInProcess, OnWriteResumesReadingOnceTheEchoDrained, 2) {
    EchoOptions options;
    options.high_watermark = 32 * 1024;
    SocketpairConnection pair(options);
    EchoServer::Connection& connection = pair.connection();
    connection.bev().set_write_low_watermark(options.high_watermark / 2);  // as on_accept sets it
    const std::string stream = random_bytes(1024 * 1024, 17);
    Feeder feeder{stream, pair.peer()};
    std::string received;
    std::string problem;
    int pauses = 0;
    int resumes = 0;
    std::size_t peak = 0;
    ReadEvent peer_reader(pair.base(), pair.peer(), [&](bool) {  // the peer reads once the server paused
        received += receive_now(pair.peer());
        if (received.size() >= stream.size()) {
            pair.base().loopexit();
        }
    });
    const auto feed = [&] {
        if (!feeder.done()) {
            problem = feeder.next();
        }
        if (!problem.empty()) {
            pair.base().loopexit();
        }
    };
    connection.bev().set_callbacks(
        [&] {
            connection.on_read();
            peak = std::max(peak, ::evbuffer_get_length(pair.output()));
            if (!connection.bev().enabled(EV_READ)) {
                if (pauses++ == 0) {
                    peer_reader.start(0ms);
                }
                return;
            }
            feed();
        },
        [&] {
            const bool was_paused = !connection.bev().enabled(EV_READ);
            connection.on_write();
            if (was_paused && connection.bev().enabled(EV_READ)) {
                ++resumes;
                feed();  // nothing was left unread at the pause: send the next message
            }
        },
        [&](short events, int) {
            problem = "the event callback ran (events " + std::to_string(events) + ")";
            pair.base().loopexit();
        });
    connection.bev().enable(EV_READ | EV_WRITE);
    SCOPED_TRACE(
        "1 MiB in 1000-byte messages; the peer reads only once reading paused at the 32 KiB high watermark");
    ASSERT_EQ(feeder.next(), "");
    dispatch_within(pair.base(), 10s);
    ASSERT_EQ(problem, "");
    EXPECT_GE(pauses, 1) << "the echo never backed up past the high watermark (on_read's pause)";
    EXPECT_GE(resumes, 1) << "on_write never resumed reading once the echo drained to the low watermark";
    EXPECT_EQ(feeder.fed, stream.size()) << "reading stopped for good after " << pauses << " pauses";
    EXPECT_TRUE(connection.bev().enabled(EV_READ));
    EXPECT_LT(peak, options.high_watermark + kMessage) << "the echo queued past the high watermark";
    EXPECT_BYTES_EQ(stream, received);
}

GRADED_TEST(Lab05EchoInProcess, ServerEchoesSmallMessagesToTwoClients, 1) {
    EventBase base;
    EchoServer server(base, HostPort{"127.0.0.1", 0}, EchoOptions{});
    const std::uint16_t port = bound_port(server.listener_fd());
    const UniqueFd first = connect_to("127.0.0.1", port);
    const UniqueFd second = connect_to("127.0.0.1", port);
    {
        SCOPED_TRACE("two clients connect and each sends a line before the loop runs");
        ASSERT_TRUE(send_within(first.get(), "first\n", 5s));
        ASSERT_TRUE(send_within(second.get(), "second\n", 5s));
        EXPECT_EQ(receive_through_loop(base, first.get(), 6), "first\n");
        EXPECT_EQ(receive_through_loop(base, second.get(), 7), "second\n");
        EXPECT_EQ(server.connection_count(), 2U);
    }
    for (const std::size_t size : {std::size_t{1}, std::size_t{100}, std::size_t{1460}, kLargestRead}) {
        SCOPED_TRACE("each client in turn sends " + std::to_string(size) + " bytes and gets them back");
        std::uint32_t seed = 0;
        for (const int client : {first.get(), second.get()}) {
            const std::string message = random_bytes(size, static_cast<std::uint32_t>(size) + ++seed);
            ASSERT_TRUE(send_within(client, message, 5s));
            EXPECT_BYTES_EQ(message, receive_through_loop(base, client, message.size()));
        }
    }
}

}  // namespace
}  // namespace netlab::testing
