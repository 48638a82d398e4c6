#include "core_helpers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/check.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {

std::span<const std::byte> bytes_of(std::string_view text) {
    return std::as_bytes(std::span(text));
}

std::string text_of(std::span<const std::byte> bytes) {
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<std::byte> byte_vector(std::string_view text) {
    const auto bytes = bytes_of(text);
    return {bytes.begin(), bytes.end()};
}

core::Address loopback_address(int family, std::uint16_t port) {
    if (family == AF_INET6) {
        sockaddr_in6 v6{};
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        v6.sin6_addr = in6addr_loopback;
        return core::Address(reinterpret_cast<const sockaddr*>(&v6), sizeof v6);
    }
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return core::Address(reinterpret_cast<const sockaddr*>(&v4), sizeof v4);
}

bool wait_for_events(int fd, short events, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    pollfd entry{fd, events, 0};
    for (;;) {
        const int rc = ::poll(&entry, 1, millis_left(deadline));
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        return rc > 0;
    }
}

void set_io_timeouts(int fd, std::chrono::milliseconds timeout) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const timeval value{static_cast<time_t>(seconds.count()),
                        static_cast<suseconds_t>(std::chrono::microseconds(timeout - seconds).count())};
    check_syscall("setsockopt SO_RCVTIMEO", ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value));
    check_syscall("setsockopt SO_SNDTIMEO", ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, sizeof value));
}

std::string Exchanged::summary(std::size_t expected) const {
    return "sent " + std::string(sent_all ? "everything" : "NOT everything") + ", received " +
           std::to_string(received.size()) + " of " + std::to_string(expected) + " bytes, " +
           (eof ? "then EOF" : "no EOF") + (problem.empty() ? "" : "; " + problem);
}

Exchanged exchange(int fd, const std::string& payload, std::chrono::milliseconds timeout) {
    Exchanged result;
    bool sent = false;
    std::thread sender([&] { sent = send_within(fd, payload, timeout) && ::shutdown(fd, SHUT_WR) == 0; });
    const auto deadline = Clock::now() + timeout;
    char buffer[65536];
    for (;;) {
        if (!wait_for_events(fd, POLLIN, std::chrono::milliseconds(millis_left(deadline)))) {
            result.problem = "timed out waiting for the echo";
            ::shutdown(fd, SHUT_RDWR);  // unblocks the sender
            break;
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            result.problem = std::string("recv: ") + std::strerror(errno);
            ::shutdown(fd, SHUT_RDWR);
            break;
        }
        if (n == 0) {
            result.eof = true;
            break;
        }
        result.received.append(buffer, static_cast<std::size_t>(n));
    }
    sender.join();
    result.sent_all = sent;
    return result;
}

DefaultSigpipe::DefaultSigpipe() {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    check_syscall("sigaction", ::sigaction(SIGPIPE, &default_action, &saved_action_));
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    ::pthread_sigmask(SIG_UNBLOCK, &pipe_only, &saved_mask_);
}

DefaultSigpipe::~DefaultSigpipe() {
    ::pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
    ::sigaction(SIGPIPE, &saved_action_, nullptr);
}

}  // namespace netlab::testing
