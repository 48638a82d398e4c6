#include "lab02_helpers.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "common/check.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

std::string text_of(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, millis_left(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        return check_syscall("poll", ready) > 0;
    }
}

std::optional<Received> receive_within(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string buffer(65535, '\0');
    for (;;) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, millis_left(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        check_syscall("poll", ready);
        if (ready == 0)
            return std::nullopt;
        Received received;
        received.sender.length = sizeof received.sender.storage;
        const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), MSG_DONTWAIT, received.sender.get(),
                                     &received.sender.length);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        check_syscall("recvfrom", n);
        received.bytes = buffer.substr(0, static_cast<std::size_t>(n));
        return received;
    }
}

void send_to(int fd, std::string_view data, const datagram::PeerAddress& peer) {
    check_syscall("sendto", ::sendto(fd, data.data(), data.size(), MSG_NOSIGNAL, peer.get(), peer.length));
}

datagram::PeerAddress address_of(int fd) {
    datagram::PeerAddress address;
    address.length = sizeof address.storage;
    check_syscall("getsockname", ::getsockname(fd, address.get(), &address.length));
    return address;
}

ServerThread::ServerThread(datagram::RequestHandler handler, int family)
    : server_(std::move(handler)),
      socket_(listen_loopback(family, SOCK_DGRAM)),
      port_(bound_port(socket_.get())) {
    int fds[2];
    check_syscall("pipe2", ::pipe2(fds, O_CLOEXEC));
    wake_read_.reset(fds[0]);
    wake_write_.reset(fds[1]);
    thread_ = std::thread([this] { run(); });
}

ServerThread::~ServerThread() {
    stop();
}

void ServerThread::stop() {
    if (thread_.joinable()) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(wake_write_.get(), &byte, 1);
        thread_.join();
    }
    socket_.reset();
}

datagram::ServerStats ServerThread::stats() const {
    std::lock_guard lock(mutex_);
    return server_.stats();
}

std::string ServerThread::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

void ServerThread::run() {
    std::vector<std::byte> buffer(65535);
    try {
        for (;;) {
            pollfd fds[2] = {{socket_.get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                throw_errno("poll");
            }
            if (fds[1].revents != 0) {
                return;
            }
            datagram::PeerAddress peer;
            peer.length = sizeof peer.storage;
            const ssize_t n = ::recvfrom(socket_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                                         peer.get(), &peer.length);
            if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == ECONNREFUSED))
                continue;
            check_syscall("recvfrom", n);
            std::optional<std::vector<std::byte>> reply;
            {
                std::lock_guard lock(mutex_);
                reply = server_.handle(std::span(buffer.data(), static_cast<std::size_t>(n)), peer);
            }
            if (reply) {
                ::sendto(socket_.get(), reply->data(), reply->size(), MSG_NOSIGNAL, peer.get(), peer.length);
            }
        }
    } catch (const std::exception& error) {
        std::lock_guard lock(mutex_);
        failure_ = error.what();
    }
}

}  // namespace netlab::testing
