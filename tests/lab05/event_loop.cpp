#include "event_loop.hpp"

#include <event2/event.h>
#include <sys/socket.h>

#include <exception>

#include "05_libevent/event/callback_guard.hpp"
#include "common/check.hpp"
#include "deadline.hpp"

namespace netlab::testing {

namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    return timeval{static_cast<time_t>(duration.count() / 1000),
                   static_cast<suseconds_t>(duration.count() % 1000 * 1000)};
}

}  // namespace

std::chrono::milliseconds dispatch_within(libevent::EventBase& base, std::chrono::milliseconds limit) {
    const timeval tv = to_timeval(limit);
    ::event_base_loopexit(base.get(), &tv);
    const auto start = Clock::now();
    base.dispatch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

void run_one_turn(libevent::EventBase& base, std::chrono::milliseconds limit) {
    libevent::detail::take_failure();  // left by an earlier loop on this thread: not this turn's
    const timeval tv = to_timeval(limit);
    ::event_base_loopexit(base.get(), &tv);
    const int rc = ::event_base_loop(base.get(), EVLOOP_ONCE);
    if (const std::exception_ptr failure = libevent::detail::take_failure()) {
        std::rethrow_exception(failure);
    }
    check_syscall("event_base_loop", rc);
}

std::pair<UniqueFd, UniqueFd> socket_pair() {
    int fds[2];
    check_syscall("socketpair", ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::string receive_now(int fd) {
    std::string received;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n <= 0) {
            return received;
        }
        received.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace netlab::testing
