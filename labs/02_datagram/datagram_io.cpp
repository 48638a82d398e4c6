// This lab shows:
//  - send/sendto with MSG_NOSIGNAL, retried only on EINTR (which sends nothing);
//  - recvmsg with MSG_TRUNC: Linux then returns the datagram's true length, and
//    msg_flags says MSG_TRUNC everywhere, so truncation can never go unnoticed;
//  - poll() plus MSG_DONTWAIT: poll can say "readable" for a datagram that recvmsg then
//    discards (a bad checksum), so the receive after poll must not be allowed to block.

#include "02_datagram/datagram_io.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "common/check.hpp"

namespace netlab::datagram {
namespace {

using Clock = std::chrono::steady_clock;

/// One recvmsg with MSG_TRUNC plus flags; std::nullopt only for EAGAIN (with MSG_DONTWAIT).
std::optional<Datagram> receive_once(int fd, std::span<std::byte> buffer, int flags) {
    // BEGIN SOLUTION receive_once
    Datagram datagram;
    iovec part{buffer.data(), buffer.size()};
    for (;;) {
        msghdr message{};
        message.msg_name = &datagram.sender.storage;
        message.msg_namelen = sizeof datagram.sender.storage;
        message.msg_iov = &part;
        message.msg_iovlen = 1;
        const ssize_t n = ::recvmsg(fd, &message, MSG_TRUNC | flags);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return std::nullopt;
        }
        check_syscall("recvmsg", n);
        datagram.size = static_cast<std::size_t>(n);
        datagram.truncated = (message.msg_flags & MSG_TRUNC) != 0 || datagram.size > buffer.size();
        datagram.sender.length = message.msg_namelen;
        return datagram;
    }
    // END SOLUTION
}

}  // namespace

std::size_t send_datagram(int fd, std::span<const std::byte> bytes) {
    // BEGIN SOLUTION send_datagram
    for (;;) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        check_syscall("send", n);
        if (static_cast<std::size_t>(n) != bytes.size()) {
            throw std::runtime_error("send: sent " + std::to_string(n) + " of a " +
                                     std::to_string(bytes.size()) + "-byte datagram");
        }
        return bytes.size();
    }
    // END SOLUTION
}

std::size_t send_datagram_to(int fd, std::span<const std::byte> bytes, const PeerAddress& peer) {
    // BEGIN SOLUTION send_datagram_to
    for (;;) {
        const ssize_t n = ::sendto(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL, peer.get(), peer.length);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        check_syscall("sendto", n);
        if (static_cast<std::size_t>(n) != bytes.size()) {
            throw std::runtime_error("sendto: sent " + std::to_string(n) + " of a " +
                                     std::to_string(bytes.size()) + "-byte datagram");
        }
        return bytes.size();
    }
    // END SOLUTION
}

Datagram receive_datagram(int fd, std::span<std::byte> buffer) {
    if (auto datagram = receive_once(fd, buffer, 0)) {
        return *datagram;
    }
    // Only a non-blocking socket (or one with SO_RCVTIMEO) gets here: say so instead of spinning.
    throw std::system_error(EAGAIN, std::system_category(), "recvmsg");
}

std::optional<Datagram> receive_datagram_within(int fd, std::span<std::byte> buffer,
                                                std::chrono::milliseconds timeout) {
    // BEGIN SOLUTION receive_datagram_within
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        // Round up, so a wait of 0.4 ms left becomes poll(1), not a busy loop of poll(0).
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, left.count() > 0 ? static_cast<int>(left.count()) : 0);
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        check_syscall("poll", ready);
        if (ready > 0) {
            // Readable, or an error (POLLERR, e.g. ECONNREFUSED) that recvmsg will report.
            if (auto datagram = receive_once(fd, buffer, MSG_DONTWAIT)) {
                return datagram;
            }
        }
        if (Clock::now() >= deadline) {
            return std::nullopt;
        }
    }
    // END SOLUTION
}

bool is_peer_error(const std::error_code& error) noexcept {
    if (error.category() != std::system_category()) {
        return false;
    }
    switch (error.value()) {
        case ECONNREFUSED:  // ICMP port unreachable for an earlier datagram
        case EHOSTUNREACH:
        case EHOSTDOWN:
        case ENETUNREACH:
        case ENETDOWN:
        case EMSGSIZE:  // this one datagram is too big for the path
        case ENOBUFS:   // the interface queue is full: the datagram is lost, as on the wire
        case EPERM:     // a firewall rule rejected this datagram
        case EACCES:    // e.g. a broadcast address without SO_BROADCAST
            return true;
        default:
            return false;
    }
}

}  // namespace netlab::datagram
