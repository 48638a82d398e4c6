#pragma once
// This file shows:
//  - turning SIGINT/SIGTERM into a readable file descriptor (signalfd), so a server
//    waits for "a client arrived" and "please stop" in the same poll() call;
//  - why it must be created first in main: threads started later inherit the
//    blocked signal mask, so no thread is ever interrupted by these signals.

#include "unique_fd.hpp"

namespace netlab {

/// Blocks SIGINT and SIGTERM in the calling thread and reports them through a descriptor.
/// Construct it in main before starting any thread. Throws std::system_error on failure.
class ShutdownSignal {
public:
    ShutdownSignal();

    /// Readable once SIGINT or SIGTERM arrived (the signal stays pending for requested()).
    [[nodiscard]] int get() const noexcept { return fd_.get(); }
    /// True once SIGINT or SIGTERM arrived; never blocks.
    [[nodiscard]] bool requested() const;
    /// Blocks until fd becomes readable (true) or shutdown is requested (false). EINTR-safe.
    [[nodiscard]] bool wait_readable(int fd) const;

private:
    UniqueFd fd_;
};

}  // namespace netlab
