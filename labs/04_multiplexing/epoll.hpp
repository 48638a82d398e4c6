#pragma once
// This file shows:
//  - epoll as an object: the kernel keeps the interest list (which descriptors, which events),
//    so each wait costs O(ready descriptors), not O(watched ones) as select() and poll() do;
//  - the three calls: epoll_ctl (ADD / MOD / DEL an interest), epoll_wait (collect what is
//    ready), and epoll_create1(EPOLL_CLOEXEC) with the descriptor owned by a UniqueFd;
//  - EINTR from epoll_wait as "nothing ready this time", never as an error.

#include <sys/epoll.h>

#include <cstdint>
#include <span>

#include "common/unique_fd.hpp"

namespace netlab::multiplexing {

/// One epoll instance. Move-only; one thread at a time. Each interest carries its fd as data.fd.
class Epoll {
public:
    /// epoll_create1(EPOLL_CLOEXEC). Throws std::system_error("epoll_create1").
    Epoll();

    /// Starts watching fd for events (EPOLLIN, EPOLLOUT, EPOLLET...). Throws std::system_error("epoll_ctl
    /// ADD").
    void add(int fd, std::uint32_t events);
    /// Replaces fd's events. The kernel re-checks readiness at once, so nothing that is already
    /// ready is missed, even edge-triggered. Throws std::system_error("epoll_ctl MOD").
    void modify(int fd, std::uint32_t events);
    /// Stops watching fd. Closing fd does this by itself, unless another descriptor (dup, fork)
    /// refers to the same open file. Throws std::system_error("epoll_ctl DEL").
    void remove(int fd);

    /// Waits up to timeout_ms (-1: no limit) and returns the ready prefix of events (empty on
    /// timeout or EINTR). Throws std::system_error("epoll_wait").
    std::span<epoll_event> wait(std::span<epoll_event> events, int timeout_ms);

    /// The epoll descriptor, still owned by this object.
    [[nodiscard]] int get() const noexcept { return fd_.get(); }

private:
    UniqueFd fd_;
};

}  // namespace netlab::multiplexing
