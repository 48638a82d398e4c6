#pragma once
// Test-side helpers for lab 02, written with plain socket calls so that a broken lab cannot
// break them: byte conversions, a UDP receive with a deadline, and an in-process
// ReliableServer on its own thread that can be stopped (to play "the server is gone").

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "02_datagram/peer_address.hpp"
#include "02_datagram/reliable_server.hpp"
#include "common/unique_fd.hpp"

namespace netlab::testing {

/// The bytes of text.
std::vector<std::byte> bytes_of(std::string_view text);
/// The bytes as a string (for EXPECT_BYTES_EQ and messages).
std::string text_of(std::span<const std::byte> bytes);

/// A datagram the test side received: its bytes (up to 65535) and its sender.
struct Received {
    std::string bytes;
    datagram::PeerAddress sender;
};

/// True when fd becomes readable within timeout (so a blocking receive will not hang the test).
bool wait_readable(int fd, std::chrono::milliseconds timeout);
/// Receives one datagram on fd within timeout (raw recvfrom); nullopt on timeout.
std::optional<Received> receive_within(int fd, std::chrono::milliseconds timeout);
/// Sends data as one datagram to peer (raw sendto); throws std::system_error on failure.
void send_to(int fd, std::string_view data, const datagram::PeerAddress& peer);
/// The address fd is bound to, as a PeerAddress (to send to it).
datagram::PeerAddress address_of(int fd);

/// A ReliableServer answering on a loopback UDP port from its own thread.
class ServerThread {
public:
    /// Binds loopback port 0 of family and starts serving with handler.
    explicit ServerThread(datagram::RequestHandler handler, int family = AF_INET);
    /// Stops and joins the thread.
    ~ServerThread();
    ServerThread(const ServerThread&) = delete;
    ServerThread& operator=(const ServerThread&) = delete;

    /// The server's port.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Stops the thread and closes the socket: the server is gone. Idempotent.
    void stop();
    /// What the server did (read it after stop() for a final count).
    [[nodiscard]] datagram::ServerStats stats() const;
    /// Empty unless the thread stopped on an exception (e.g. netlab::todo).
    [[nodiscard]] std::string failure() const;

private:
    void run();

    datagram::ReliableServer server_;
    UniqueFd socket_;
    UniqueFd wake_read_;
    UniqueFd wake_write_;
    std::uint16_t port_ = 0;
    mutable std::mutex mutex_;
    std::string failure_;
    std::thread thread_;
};

}  // namespace netlab::testing
