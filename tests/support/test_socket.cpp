#include "test_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/check.hpp"
#include "deadline.hpp"

namespace netlab::testing {
namespace {

socklen_t fill_address(const std::string& host, std::uint16_t port, sockaddr_storage& address) {
    std::memset(&address, 0, sizeof address);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return sizeof(sockaddr_in);
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    throw std::invalid_argument("not an IP literal: " + host);
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd entry{fd, events, 0};
    for (;;) {
        const int rc = ::poll(&entry, 1, millis_left(deadline));
        if (rc < 0 && errno == EINTR)
            continue;
        return rc > 0;
    }
}

}  // namespace

const char* loopback(int family) {
    return family == AF_INET6 ? "::1" : "127.0.0.1";
}

UniqueFd listen_loopback(int family, int type) {
    UniqueFd fd(check_syscall("socket", ::socket(family, type | SOCK_CLOEXEC, 0)));
    sockaddr_storage address{};
    const socklen_t length = fill_address(loopback(family), 0, address);
    check_syscall("bind", ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length));
    if (type == SOCK_STREAM) {
        check_syscall("listen", ::listen(fd.get(), 128));
    }
    return fd;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getsockname", ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length));
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    }
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

UniqueFd connect_to(const std::string& host, std::uint16_t port, int type) {
    sockaddr_storage address{};
    const socklen_t length = fill_address(host, port, address);
    UniqueFd fd(check_syscall("socket", ::socket(address.ss_family, type | SOCK_CLOEXEC, 0)));
    check_syscall("connect", ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), length));
    return fd;
}

UniqueFd accept_within(int listener, std::chrono::milliseconds timeout) {
    if (!wait_for(listener, POLLIN, Clock::now() + timeout)) {
        return UniqueFd();
    }
    return UniqueFd(check_syscall("accept4", ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)));
}

bool send_within(int fd, const std::string& data, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::size_t sent = 0;
    while (sent < data.size()) {
        if (!wait_for(fd, POLLOUT, deadline))
            return false;
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> read_to_eof(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string data;
    char buffer[65536];
    for (;;) {
        if (!wait_for(fd, POLLIN, deadline))
            return std::nullopt;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return std::nullopt;
        if (n == 0)
            return data;
        data.append(buffer, static_cast<std::size_t>(n));
    }
}

std::optional<std::string> read_exactly(int fd, std::size_t n, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string data(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        if (!wait_for(fd, POLLIN, deadline))
            return std::nullopt;
        const ssize_t rc = ::recv(fd, data.data() + got, n - got, MSG_DONTWAIT);
        if (rc < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (rc <= 0)
            return std::nullopt;
        got += static_cast<std::size_t>(rc);
    }
    return data;
}

void set_buffer_sizes(int fd, int send_bytes, int receive_bytes) {
    check_syscall("setsockopt", ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_bytes, sizeof send_bytes));
    check_syscall("setsockopt",
                  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_bytes, sizeof receive_bytes));
}

void reset_connection(UniqueFd fd) {
    const linger abort_on_close{1, 0};
    check_syscall("setsockopt",
                  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close));
    fd.reset();
}

}  // namespace netlab::testing
