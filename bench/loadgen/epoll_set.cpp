#include "epoll_set.hpp"

#include <algorithm>
#include <cerrno>

#include "common/check.hpp"

namespace netlab::bench {

EpollSet::EpollSet(std::size_t connections)
    : epoll_(check_syscall("epoll_create1", ::epoll_create1(EPOLL_CLOEXEC))),
      events_(std::clamp<std::size_t>(connections, 1, 1024)),
      output_(connections, 0) {}

void EpollSet::add(int fd, std::size_t index, std::uint32_t events) {
    epoll_event event{events, {.u64 = index}};
    check_syscall("epoll_ctl", ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event));
    output_[index] = (events & EPOLLOUT) != 0 ? 1 : 0;
}

void EpollSet::watch_output(int fd, std::size_t index, bool output) {
    if (watching_output(index) == output) {
        return;
    }
    epoll_event event{EPOLLIN | (output ? EPOLLOUT : 0U), {.u64 = index}};
    check_syscall("epoll_ctl", ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &event));
    output_[index] = output ? 1 : 0;
}

std::span<const epoll_event> EpollSet::wait(int timeout_ms) {
    const int ready =
        ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
    if (ready < 0 && errno != EINTR) {
        throw_errno("epoll_wait");
    }
    return {events_.data(), static_cast<std::size_t>(std::max(ready, 0))};
}

}  // namespace netlab::bench
