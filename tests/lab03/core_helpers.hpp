#pragma once
// Helpers shared by the lab 03 Part B and C tests: bytes as strings and back, waiting for a
// descriptor with a deadline, a concurrent send-and-receive for echo tests, and a guard that
// makes sure SIGPIPE would really kill the test process (so MSG_NOSIGNAL is what saves it).

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "03_encapsulation/core/address.hpp"
#include "background_task.hpp"

namespace netlab::core {

/// Lets GoogleTest print an Address in failure messages as "127.0.0.1:80".
inline void PrintTo(const Address& address, std::ostream* out) {
    *out << address.to_string();
}

}  // namespace netlab::core

namespace netlab::testing {

using namespace std::chrono_literals;

/// The bytes of text (a view, no copy).
std::span<const std::byte> bytes_of(std::string_view text);
/// Bytes as a std::string, for comparisons and EXPECT_BYTES_EQ.
std::string text_of(std::span<const std::byte> bytes);
/// The bytes of text in a new vector.
std::vector<std::byte> byte_vector(std::string_view text);

/// The loopback address of family (127.0.0.1 or ::1) with port, built without Address::parse, so a
/// test of sockets does not depend on the learner's parser.
core::Address loopback_address(int family, std::uint16_t port = 0);

/// Polls fd for events until one of them (or an error/hangup) is reported: true, or the timeout passed:
/// false.
bool wait_for_events(int fd, short events, std::chrono::milliseconds timeout);

/// Sets SO_RCVTIMEO and SO_SNDTIMEO, so a blocking call on fd gives up (EAGAIN) instead of hanging a test.
void set_io_timeouts(int fd, std::chrono::milliseconds timeout);

/// What exchange() saw.
struct Exchanged {
    std::string received;
    bool eof = false;       ///< the peer ended the stream
    bool sent_all = false;  ///< every byte of the payload went out
    std::string problem;    ///< why it stopped early, "" otherwise
    /// One line for failure messages.
    [[nodiscard]] std::string summary(std::size_t expected) const;
};

/// Sends payload on fd from a second thread (then SHUT_WR) while this thread reads until EOF or timeout.
Exchanged exchange(int fd, const std::string& payload, std::chrono::milliseconds timeout = 20s);

/// For its lifetime: SIGPIPE has its default action (kill the process) and is not blocked in this thread.
class DefaultSigpipe {
public:
    DefaultSigpipe();
    ~DefaultSigpipe();
    DefaultSigpipe(const DefaultSigpipe&) = delete;
    DefaultSigpipe& operator=(const DefaultSigpipe&) = delete;

private:
    struct sigaction saved_action_ {};
    sigset_t saved_mask_{};
};

}  // namespace netlab::testing
