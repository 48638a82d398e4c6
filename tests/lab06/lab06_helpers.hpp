#pragma once
// Helpers shared by the lab 06 tests: lab 03's chat protocol spoken by a plain test-side socket
// (so the Qt side is checked against bytes we control), and a child run whose peak memory is
// read from wait4() (ru_maxrss), exactly, after it exited.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"
#include "common/unique_fd.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// One framed chat message, as bytes ready to send.
std::string chat_frame(const core::ChatMessage& message);

/// A chat client on a plain blocking socket, with deadlines on every read.
class RawChatClient {
public:
    /// Connects to host:port; throws std::system_error("connect").
    RawChatClient(const std::string& host, std::uint16_t port);
    /// Speaks over a socket that is already connected, e.g. one a test-side server accepted.
    explicit RawChatClient(UniqueFd connected);
    /// Sends one message; false if the peer is gone.
    bool send(const core::ChatMessage& message);
    /// The next message within timeout; nullopt on timeout, EOF or a bad frame (see problem()).
    std::optional<core::ChatMessage> next(std::chrono::milliseconds timeout = 10s);
    /// Why the last next() returned nullopt.
    [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

private:
    UniqueFd fd_;
    core::FrameDecoder decoder_{core::kMaxChatMessage};
    std::string problem_;
};

/// "join ann", "say ann: hi", "leave ann", "error: text": for messages in failure output.
std::string describe(const core::ChatMessage& message);

/// What run_measured saw.
struct MeasuredRun {
    std::optional<int> status;  ///< exit code (128+signal when killed); nullopt: killed at the deadline
    long max_rss_kib = 0;       ///< the child's peak resident memory (wait4's ru_maxrss)
    std::string err;            ///< everything it wrote to stderr
};

/// Runs a lab program with stdout to stdout_path and waits (deadline) for its exit with wait4.
/// extra_env entries ("NAME=value") are added to the environment.
MeasuredRun run_measured(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdout_path, std::chrono::milliseconds timeout,
                         const std::vector<std::string>& extra_env = {});

}  // namespace netlab::testing
