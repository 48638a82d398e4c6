// This file shows:
//  - epoll_ctl with the descriptor itself as the event's data, so an event says which socket;
//  - epoll_wait filling a caller's array: no allocation per wait.

#include "04_multiplexing/epoll.hpp"

#include <cerrno>

#include "common/check.hpp"

namespace netlab::multiplexing {
namespace {

void control(int epoll_fd, int operation, int fd, std::uint32_t events, const char* call) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    check_syscall(call, ::epoll_ctl(epoll_fd, operation, fd, &event));
}

}  // namespace

Epoll::Epoll() : fd_(check_syscall("epoll_create1", ::epoll_create1(EPOLL_CLOEXEC))) {}

void Epoll::add(int fd, std::uint32_t events) {
    control(fd_.get(), EPOLL_CTL_ADD, fd, events, "epoll_ctl ADD");
}

void Epoll::modify(int fd, std::uint32_t events) {
    control(fd_.get(), EPOLL_CTL_MOD, fd, events, "epoll_ctl MOD");
}

void Epoll::remove(int fd) {
    control(fd_.get(), EPOLL_CTL_DEL, fd, 0, "epoll_ctl DEL");
}

std::span<epoll_event> Epoll::wait(std::span<epoll_event> events, int timeout_ms) {
    const int ready = ::epoll_wait(fd_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
    if (ready < 0 && errno == EINTR) {
        return {};
    }
    return events.first(static_cast<std::size_t>(check_syscall("epoll_wait", ready)));
}

}  // namespace netlab::multiplexing
