// Lab 04, the chat server's output side in-process: PollChatServer::send_to and on_writable on real
// loopback connections, without run() and without the rest of the chat (nothing is read or decoded).
// The server and the test's sockets get small buffers, so the kernel soon refuses bytes and the
// server's queue has to take them. Every wait has a deadline.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "04_multiplexing/poll_chat.hpp"
#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab04_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::multiplexing {

/// Drives one client's output of a PollChatServer (whose friend it is) without run(): accepts a
/// connection of the test, and calls send_to and on_writable on it as the server's handlers would.
struct ChatServerProbe {
    explicit ChatServerProbe(ChatLimits limits) : server(core::TcpListener::bind("127.0.0.1", 0), limits) {}

    /// Connects a test socket with a 4 KiB receive buffer, has the server accept it (given code) and
    /// gives the server's end a 4 KiB send buffer: the kernel takes little before it refuses bytes.
    /// Returns the client's index (clients are never removed here: run() is not running).
    std::size_t connect(UniqueFd& peer) {
        const std::uint16_t port = server.listener_.local_address().port();
        peer = testing::connect_with_receive_buffer({"127.0.0.1", port}, 4096);
        const std::size_t index = server.clients_.size();
        const bool accepted = testing::wait_until(
            [&] {
                server.accept_clients();
                return server.clients_.size() > index;
            },
            std::chrono::seconds(5));
        if (!accepted) {
            throw std::runtime_error("the server did not accept the test's connection within 5 s");
        }
        const int bytes = 4096;
        check_syscall("setsockopt SO_SNDBUF", ::setsockopt(server.clients_[index].stream.get(), SOL_SOCKET,
                                                           SO_SNDBUF, &bytes, sizeof bytes));
        return index;
    }

    void send_to(std::size_t client, std::string_view frame) {
        server.send_to(server.clients_.at(client), testing::bytes_of(frame));
    }
    void on_writable(std::size_t client) { server.on_writable(server.clients_.at(client)); }
    /// Bytes in the client's queue (what the kernel has not taken).
    std::size_t queued(std::size_t client) const { return server.clients_.at(client).out.size(); }
    /// False once the server disconnected the client.
    bool connected(std::size_t client) const { return server.clients_.at(client).stream.is_open(); }

    PollChatServer server;
};

}  // namespace netlab::multiplexing

namespace netlab::testing {
namespace {

using multiplexing::ChatLimits;
using multiplexing::ChatServerProbe;

constexpr std::size_t kFrameBytes = 1000;

/// Frame number k: 1000 bytes of its own (the server treats them as an opaque frame).
std::string frame_number(int k) {
    return random_bytes(kFrameBytes, static_cast<std::uint32_t>(k + 1));
}

/// Whatever the peer's socket holds now (without waiting), appended to received; false on EOF or error.
bool read_available(int fd, std::string& received) {
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            received.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        return n < 0 && (errno == EAGAIN || errno == EINTR);
    }
}

GRADED_TEST(Lab04ChatOutput, QueuesWhatTheKernelRefusesAndFlushesItInOrder, 4) {
    ChatLimits limits;
    limits.max_queue = 1024 * 1024;
    ChatServerProbe probe(limits);
    UniqueFd peer;
    const std::size_t client = probe.connect(peer);
    std::string expected;
    int next = 0;
    {
        SCOPED_TRACE("nothing queued: send_to gives the frame to the kernel at once and queues nothing");
        const std::string frame = frame_number(next++);
        probe.send_to(client, frame);
        expected += frame;
        EXPECT_EQ(probe.queued(client), 0u);
        const auto got = read_exactly(peer.get(), frame.size(), 5s);
        ASSERT_TRUE(got) << "the peer did not receive the frame within 5 s";
        EXPECT_BYTES_EQ(frame, *got);
    }
    std::string received = expected;
    {
        SCOPED_TRACE(
            "the peer stops reading: frames go to the kernel until it refuses, the rest to the queue");
        while (probe.queued(client) == 0 && next < 10000) {
            const std::string frame = frame_number(next++);
            probe.send_to(client, frame);
            expected += frame;
        }
        ASSERT_GT(probe.queued(client), 0u)
            << "10 MB sent to a peer that reads nothing, and nothing was queued";
        ASSERT_TRUE(probe.connected(client));
        for (int i = 0; i < 20; ++i) {
            const std::size_t before = probe.queued(client);
            const std::string frame = frame_number(next++);
            probe.send_to(client, frame);
            expected += frame;
            ASSERT_EQ(probe.queued(client), before + frame.size())
                << "with bytes queued, a frame goes whole behind them";
        }
    }
    {
        SCOPED_TRACE(
            "on_writable while the peer reads nothing: it returns, and keeps what the kernel refused");
        const std::size_t before = probe.queued(client);
        probe.on_writable(client);
        EXPECT_GT(probe.queued(client), 0u);
        EXPECT_LE(probe.queued(client), before);
        EXPECT_TRUE(probe.connected(client));
    }
    {
        SCOPED_TRACE("the peer reads a little, making room: a new frame still goes behind the queue");
        pollfd entry{peer.get(), POLLIN, 0};
        ASSERT_EQ(::poll(&entry, 1, 5000), 1) << "the peer has nothing to read";
        ASSERT_TRUE(read_available(peer.get(), received));
        const std::size_t before = probe.queued(client);
        const std::string frame = frame_number(next++);
        probe.send_to(client, frame);
        expected += frame;
        EXPECT_EQ(probe.queued(client), before + frame.size())
            << "a frame written straight to the socket would overtake the queued ones";
    }
    SCOPED_TRACE(
        "the peer reads everything: on_writable (called as POLLOUT would) empties the queue in order");
    const auto deadline = Clock::now() + 10s;
    bool open = true;
    while (open && received.size() < expected.size() && Clock::now() < deadline) {
        if (probe.queued(client) > 0) {
            probe.on_writable(client);
        }
        pollfd entry{peer.get(), POLLIN, 0};
        ::poll(&entry, 1, std::min(10, millis_left(deadline)));
        open = read_available(peer.get(), received);
    }
    EXPECT_EQ(probe.queued(client), 0u);
    EXPECT_TRUE(probe.connected(client));
    EXPECT_BYTES_EQ(expected, received);
}

GRADED_TEST(Lab04ChatOutput, DropsAClientWhoseQueueWouldPassMaxQueue, 2) {
    ChatLimits limits;
    limits.max_queue = 16 * 1024;
    ChatServerProbe probe(limits);
    UniqueFd slow_peer;
    const std::size_t slow = probe.connect(slow_peer);
    UniqueFd bob_peer;
    const std::size_t bob = probe.connect(bob_peer);
    std::string expected;
    {
        SCOPED_TRACE("slow reads nothing; frames of 1000 bytes until its queue would pass 16 KiB");
        std::size_t last_queued = 0;
        for (int k = 0; probe.connected(slow) && k < 10000; ++k) {
            last_queued = probe.queued(slow);
            const std::string frame = frame_number(k);
            probe.send_to(slow, frame);
            expected += frame;
            if (probe.connected(slow)) {
                ASSERT_LE(probe.queued(slow), limits.max_queue) << "the queue passed --max-queue";
            }
        }
        ASSERT_FALSE(probe.connected(slow)) << "10 MB offered to a client that reads nothing, and it stayed";
        EXPECT_GT(last_queued + kFrameBytes, limits.max_queue)
            << "dropped with " << last_queued << " bytes queued: the next frame still fitted under "
            << limits.max_queue;
    }
    {
        SCOPED_TRACE("slow's connection ends after the bytes the kernel took, in order");
        const auto got = read_to_eof(slow_peer.get(), 10s);
        ASSERT_TRUE(got) << "no EOF for the dropped client within 10 s";
        ASSERT_GT(got->size(), 0u);
        ASSERT_LE(got->size(), expected.size());
        EXPECT_BYTES_EQ(expected.substr(0, got->size()), *got);
    }
    SCOPED_TRACE("bob, on the same server, is still served");
    const std::string frame = frame_number(7);
    probe.send_to(bob, frame);
    EXPECT_TRUE(probe.connected(bob));
    const auto got = read_exactly(bob_peer.get(), frame.size(), 5s);
    ASSERT_TRUE(got);
    EXPECT_BYTES_EQ(frame, *got);
}

GRADED_TEST(Lab04ChatOutput, ASendFailureDisconnectsOnlyThatClient, 2) {
    ChatServerProbe probe(ChatLimits{});
    UniqueFd ann_peer;
    const std::size_t ann = probe.connect(ann_peer);
    UniqueFd bob_peer;
    const std::size_t bob = probe.connect(bob_peer);
    {
        SCOPED_TRACE(
            "bob's connection is reset; frames to bob until the send fails: bob is disconnected, "
            "and send_to throws nothing (its caller is ann's handler: it would disconnect ann)");
        reset_connection(std::move(bob_peer));
        const std::string frame = frame_number(0);
        std::string escaped;
        const bool dropped = wait_until(
            [&] {
                try {
                    probe.send_to(bob, frame);
                } catch (const std::system_error& error) {
                    escaped = error.what();
                    return true;
                }
                return !probe.connected(bob);
            },
            5s);
        EXPECT_EQ(escaped, "") << "send_to let bob's failure escape";
        EXPECT_TRUE(dropped && !probe.connected(bob)) << "bob is still connected 5 s after his reset";
    }
    SCOPED_TRACE("ann is still connected and served");
    const std::string frame = frame_number(1);
    probe.send_to(ann, frame);
    EXPECT_TRUE(probe.connected(ann));
    const auto got = read_exactly(ann_peer.get(), frame.size(), 5s);
    ASSERT_TRUE(got);
    EXPECT_BYTES_EQ(frame, *got);
}

}  // namespace
}  // namespace netlab::testing
