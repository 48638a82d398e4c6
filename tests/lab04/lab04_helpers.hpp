#pragma once
// Helpers shared by the lab 04 tests: a lab server as a child process, what /proc says about it
// (resident memory, open descriptors, CPU time), an echo exchange that reads slowly on purpose,
// and a chat participant speaking lab 03's framing with deadlines. They use the test's own
// sockets (test_socket.hpp) and the reference lab 03 core for the chat encoding, never lab 04 code.

#include <sys/resource.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"
#include "child_process.hpp"
#include "common/unique_fd.hpp"
#include "exchange.hpp"
#include "process_usage.hpp"
#include "server_process.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// The bytes of text (a view, no copy).
std::span<const std::byte> bytes_of(std::string_view text);
/// Bytes as a std::string, for comparisons and EXPECT_BYTES_EQ.
std::string text_of(std::span<const std::byte> bytes);

/// VmRSS of a process in KiB (from /proc/PID/status); -1 if it cannot be read.
long resident_kib(pid_t pid);
/// How many descriptors a process has open (entries of /proc/PID/fd); -1 if unreadable.
int open_descriptors(pid_t pid);

/// For its lifetime, sets this process's soft RLIMIT_NOFILE (children inherit it), then restores it.
class DescriptorLimit {
public:
    /// Throws std::system_error when the limit cannot be set (e.g. above the hard limit).
    explicit DescriptorLimit(rlim_t soft);
    ~DescriptorLimit();
    DescriptorLimit(const DescriptorLimit&) = delete;
    DescriptorLimit& operator=(const DescriptorLimit&) = delete;
    /// The hard limit: the most any soft limit may be.
    static rlim_t hard();

private:
    rlimit saved_{};
};

/// A blocking TCP socket with SO_RCVBUF set BEFORE connect, so the window is small from the start;
/// with max_segment, TCP_MAXSEG too, so the server sends small segments and its own socket send buffer
/// stays small (on loopback it would otherwise grow past a megabyte and hide partial writes).
UniqueFd connect_with_receive_buffer(const HostPort& server, int receive_bytes, int max_segment = 0);

/// Sends text and reads the same number of bytes back: "" when it came back, else what went wrong.
std::string round_trip(int fd, const std::string& text, std::chrono::milliseconds timeout = 10s);

/// Sends without reading until the socket stays unwritable for quiet (the peer stopped reading and
/// every buffer on the way is full) or limit bytes went out. Returns what was sent.
std::string send_until_stuck(int fd, std::size_t limit, std::chrono::milliseconds quiet = 300ms,
                             std::uint32_t seed = 7);

/// One chat participant on the test side: frames and messages from the reference lab 03 core.
class ChatPeer {
public:
    /// Connects to the server; receive_bytes and max_segment as in connect_with_receive_buffer (0: default).
    explicit ChatPeer(const HostPort& server, int receive_bytes = 0, int max_segment = 0);

    /// Sends one framed message (blocking, with a deadline); false if the server is gone.
    bool send(const core::ChatMessage& message);
    /// Sends raw bytes (a malformed frame, a piece of a frame); false if the server is gone.
    bool send_raw(std::string_view bytes);
    /// Sends join with name and waits for the server's welcome (the same join back); "" on
    /// success, else what came instead.
    std::string join(const std::string& name);

    /// The next message, or nullopt at EOF, reset, a bad frame or the deadline (see ended()).
    std::optional<core::ChatMessage> next(std::chrono::milliseconds timeout = 10s);
    /// Reads and discards messages until the server ends the connection (EOF or reset): true, or
    /// false when the deadline passes first. The messages read are kept in skipped().
    bool wait_closed(std::chrono::milliseconds timeout = 10s);
    /// Why next() returned nullopt: "eof", "reset", "timeout", "bad frame" ("" while open).
    [[nodiscard]] const std::string& ended() const noexcept { return ended_; }
    /// The messages wait_closed() read on its way to the end.
    [[nodiscard]] const std::vector<core::ChatMessage>& skipped() const noexcept { return skipped_; }

    /// The socket (for shutdown, SO_LINGER...).
    [[nodiscard]] int get() const noexcept { return socket_.get(); }
    /// Gives up the socket (e.g. to reset_connection it).
    UniqueFd take() { return std::move(socket_); }

private:
    UniqueFd socket_;
    core::FrameDecoder decoder_{core::kMaxChatMessage};
    std::string ended_;
    std::vector<core::ChatMessage> skipped_;
};

/// A poll_chat_server child on 127.0.0.1 port 0 with extra arguments.
struct ChatServer : ServerProcess {
    explicit ChatServer(std::vector<std::string> extra = {})
        : ServerProcess("poll_chat_server", listen_args(std::move(extra))) {}
};

/// How many times the server's stderr so far holds the word (stderr is read by another thread).
std::size_t times_logged(ServerProcess& server, std::string_view word);

/// The messages a test sends and expects, by type.
core::ChatMessage join_of(const std::string& name);
core::ChatMessage say_of(const std::string& name, const std::string& text);
core::ChatMessage leave_of(const std::string& name);

/// The bytes of one framed message whose payload is given raw (to send malformed messages).
std::string frame_of(const std::string& payload);
/// The bytes of one framed chat message.
std::string frame_of(const core::ChatMessage& message);

/// Expects peer's next message to be expected; explains otherwise.
::testing::AssertionResult next_is(ChatPeer& peer, const core::ChatMessage& expected,
                                   std::chrono::milliseconds timeout = 10s);
/// Expects an error message mentioning reason_part, then the end of the connection (EOF or reset).
::testing::AssertionResult refused(ChatPeer& peer, const std::string& reason_part);

/// "join ann", "say ann: hi", "leave bob", "error: why" — for failure messages.
std::string describe(const core::ChatMessage& message);
/// describe() of an optional message, "nothing (eof)" and the like when there is none.
std::string describe(const std::optional<core::ChatMessage>& message, const ChatPeer& peer);

}  // namespace netlab::testing
