#include "lossy_relay.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/addrinfo.hpp"
#include "common/check.hpp"

namespace netlab::testing {
namespace {

using Clock = std::chrono::steady_clock;

/// One direction's faults: its own generator, and at most one datagram held back.
struct Lane {
    std::mt19937 random;
    std::optional<std::string> held;
    bool held_twice = false;
    Clock::time_point release{};
    RelayDirectionCounts* counts;

    /// True with probability p. Compares raw 32-bit draws, so it is the same on every library.
    bool roll(double p) { return static_cast<double>(random()) < p * 4294967296.0; }
};

}  // namespace

LossyUdpRelay::LossyUdpRelay(const std::string& server_host, std::uint16_t server_port, LossOptions options)
    : options_(options) {
    const AddrInfoList server = resolve(server_host, server_port, SOCK_DGRAM, Passive::no);
    const int family = server->ai_family;
    back_.reset(check_syscall("socket", ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)));
    check_syscall("connect", ::connect(back_.get(), server->ai_addr, server->ai_addrlen));

    host_ = family == AF_INET6 ? "::1" : "127.0.0.1";
    const AddrInfoList local = resolve(host_, 0, SOCK_DGRAM, Passive::yes);
    front_.reset(check_syscall("socket", ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)));
    check_syscall("bind", ::bind(front_.get(), local->ai_addr, local->ai_addrlen));
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    check_syscall("getsockname", ::getsockname(front_.get(), reinterpret_cast<sockaddr*>(&bound), &length));
    std::uint16_t port_be = 0;
    static_assert(offsetof(sockaddr_in, sin_port) == offsetof(sockaddr_in6, sin6_port));
    std::memcpy(&port_be, reinterpret_cast<const char*>(&bound) + offsetof(sockaddr_in, sin_port),
                sizeof port_be);
    port_ = ntohs(port_be);

    int fds[2];
    check_syscall("pipe2", ::pipe2(fds, O_CLOEXEC));
    wake_read_.reset(fds[0]);
    wake_write_.reset(fds[1]);
    thread_ = std::thread([this] { run(); });
}

LossyUdpRelay::~LossyUdpRelay() {
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(wake_write_.get(), &byte, 1);
    thread_.join();
}

RelayCounts LossyUdpRelay::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

std::string LossyUdpRelay::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

void LossyUdpRelay::run() {
    Lane to_server{std::mt19937(options_.seed), {}, false, {}, &counts_.to_server};
    Lane to_client{std::mt19937(options_.seed ^ 0x9e3779b9u), {}, false, {}, &counts_.to_client};
    sockaddr_storage client{};
    socklen_t client_length = 0;

    // Sends one datagram out of a lane; a full buffer or a missing server only counts as an error.
    auto transmit = [&](Lane& lane, std::string_view bytes) {
        const ssize_t n =
            &lane == &to_server
                ? ::send(back_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT)
                : ::sendto(front_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&client), client_length);
        std::lock_guard lock(mutex_);
        ++(n < 0 ? counts_.errors : lane.counts->sent);
    };
    auto release_held = [&](Lane& lane) {
        if (lane.held) {
            transmit(lane, *lane.held);
            if (lane.held_twice) {
                transmit(lane, *lane.held);
            }
            lane.held.reset();
        }
    };
    auto relay = [&](Lane& lane, std::string bytes) {
        const bool drop = lane.roll(options_.drop);
        const bool twice = lane.roll(options_.duplicate);
        const bool hold = lane.roll(options_.reorder);
        {
            std::lock_guard lock(mutex_);
            ++lane.counts->received;
            if (drop) {
                ++lane.counts->dropped;
            } else {
                lane.counts->duplicated += twice ? 1u : 0u;
                lane.counts->reordered += hold && !lane.held ? 1u : 0u;
            }
        }
        if (drop) {
            return;
        }
        if (hold && !lane.held) {
            lane.held = std::move(bytes);
            lane.held_twice = twice;
            lane.release = Clock::now() + options_.hold;
            return;
        }
        transmit(lane, bytes);
        if (twice) {
            transmit(lane, bytes);
        }
        release_held(lane);  // the held one goes after: this datagram overtook it
    };

    std::vector<char> buffer(65536);
    try {
        for (;;) {
            int timeout = -1;
            for (const Lane* lane : {&to_server, &to_client}) {
                if (lane->held) {
                    const auto left =
                        std::chrono::ceil<std::chrono::milliseconds>(lane->release - Clock::now());
                    const int millis =
                        static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
                    timeout = timeout < 0 ? millis : std::min(timeout, millis);
                }
            }
            pollfd fds[3] = {
                {front_.get(), POLLIN, 0}, {back_.get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
            const int ready = ::poll(fds, 3, timeout);
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            check_syscall("poll", ready);
            if (fds[2].revents != 0) {
                return;
            }
            for (;;) {  // client -> server: drain everything queued
                sockaddr_storage sender{};
                socklen_t sender_length = sizeof sender;
                const ssize_t n = ::recvfrom(front_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                                             reinterpret_cast<sockaddr*>(&sender), &sender_length);
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    break;
                }
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                if (n < 0 && errno != ECONNREFUSED) {
                    throw_errno("recvfrom");
                }
                if (n < 0) {  // an ICMP error for an earlier datagram: survive it
                    std::lock_guard lock(mutex_);
                    ++counts_.errors;
                    continue;
                }
                client = sender;
                client_length = sender_length;
                relay(to_server, std::string(buffer.data(), static_cast<std::size_t>(n)));
            }
            for (;;) {  // server -> client; ECONNREFUSED here means "no server", which tests may want
                const ssize_t n = ::recv(back_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    break;
                }
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                if (n < 0 && errno != ECONNREFUSED) {
                    throw_errno("recv");
                }
                if (n < 0) {  // an ICMP error for an earlier datagram: survive it
                    std::lock_guard lock(mutex_);
                    ++counts_.errors;
                    continue;
                }
                if (client_length != 0) {
                    relay(to_client, std::string(buffer.data(), static_cast<std::size_t>(n)));
                }
            }
            for (Lane* lane : {&to_server, &to_client}) {
                if (lane->held && Clock::now() >= lane->release) {
                    release_held(*lane);
                }
            }
        }
    } catch (const std::exception& error) {
        std::lock_guard lock(mutex_);
        failure_ = error.what();
    }
}

}  // namespace netlab::testing
