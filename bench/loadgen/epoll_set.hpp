#pragma once
// This file shows:
//  - the epoll set both load generators drive: each descriptor tagged with its connection's index,
//    always watched for input, and for output only while that connection has bytes waiting to go
//    out (EPOLLOUT on a writable socket would wake the loop for nothing).

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/unique_fd.hpp"

namespace netlab::bench {

/// One epoll instance over connections 0..N-1. Not thread-safe.
class EpollSet {
public:
    /// Creates the instance; one wait reports at most min(connections, 1024) events.
    explicit EpollSet(std::size_t connections);

    /// Adds fd as connection index, watched for events (EPOLLIN, EPOLLOUT or both).
    void add(int fd, std::size_t index, std::uint32_t events);
    /// Watches index's fd for output too (true) or input only (false); no system call if unchanged.
    void watch_output(int fd, std::size_t index, bool output);
    /// True while index's fd is watched for output.
    [[nodiscard]] bool watching_output(std::size_t index) const { return output_[index] != 0; }
    /// Waits at most timeout_ms; the ready events, empty on a timeout or EINTR. Valid until the next wait.
    [[nodiscard]] std::span<const epoll_event> wait(int timeout_ms);

private:
    UniqueFd epoll_;
    std::vector<epoll_event> events_;
    std::vector<char> output_;  // per connection: watched for output
};

}  // namespace netlab::bench
