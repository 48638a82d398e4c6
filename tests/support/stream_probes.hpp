#pragma once
// Small probes of a server through one test-side socket: a round trip, and a client that pushes
// without ever reading (to check backpressure).

#include <chrono>
#include <cstddef>
#include <string>

namespace netlab::testing {

/// Sends text and reads the same number of bytes back within 10 s; "" on success, else what went wrong.
std::string round_trip(int fd, const std::string& text);

/// What push_without_reading() managed.
struct PushResult {
    std::size_t sent = 0;  ///< bytes the kernel accepted before we stopped
    bool stalled = false;  ///< stopped because no byte could be sent for the stall window
    std::string problem;   ///< an error other than a stall (e.g. the peer reset us)
};

/// Sends up to limit bytes on fd without ever reading, until no byte can be sent for stall_window.
PushResult push_without_reading(int fd, std::size_t limit, std::chrono::milliseconds stall_window);

}  // namespace netlab::testing
