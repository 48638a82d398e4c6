// This file shows:
//  - recvfrom(MSG_TRUNC): on Linux it returns a UDP datagram's real length even when the
//    buffer was shorter, which is how a truncated datagram is told from a whole one;
//  - the sender's address filled in by the kernel, with its length, into sockaddr_storage;
//  - a UDP send is all or nothing: the kernel never sends part of a datagram.

#include "03_encapsulation/core/udp_socket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "03_encapsulation/core/nonblocking.hpp"
#include "common/check.hpp"

namespace netlab::core {
namespace {

/// The result of one sendto/send: the whole datagram, would_block, or a thrown error named call.
IoResult datagram_sent(ssize_t rc, const char* call) {
    if (rc >= 0) {
        return IoResult{IoStatus::data, static_cast<std::size_t>(rc)};
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return IoResult{IoStatus::would_block, 0};
    }
    throw_errno(call);
}

}  // namespace

UdpSocket UdpSocket::bind(const Address& address) {
    UdpSocket udp = open(address.family());
    if (::bind(udp.get(), address.data(), address.size()) < 0) {
        const int error = errno;  // before to_string() can change it
        throw std::system_error(error, std::system_category(), "bind " + address.to_string());
    }
    return udp;
}

UdpSocket UdpSocket::open(int family) {
    return UdpSocket(UniqueFd(check_syscall("socket", ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0))));
}

void UdpSocket::connect(const Address& peer) {
    if (::connect(get(), peer.data(), peer.size()) < 0) {
        const int error = errno;
        throw std::system_error(error, std::system_category(), "connect " + peer.to_string());
    }
}

IoResult UdpSocket::send_to(std::span<const std::byte> bytes, const Address& peer) {
    for (;;) {
        const ssize_t rc =
            ::sendto(get(), bytes.data(), bytes.size(), MSG_NOSIGNAL, peer.data(), peer.size());
        if (rc >= 0 || errno != EINTR) {
            return datagram_sent(rc, "sendto");
        }
    }
}

IoResult UdpSocket::send(std::span<const std::byte> bytes) {
    for (;;) {
        const ssize_t rc = ::send(get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (rc >= 0 || errno != EINTR) {
            return datagram_sent(rc, "send");
        }
    }
}

Received UdpSocket::receive_from(std::span<std::byte> buffer) {
    // BEGIN SOLUTION UdpSocket::receive_from
    for (;;) {
        sockaddr_storage sender{};
        socklen_t length = sizeof sender;
        const ssize_t rc = ::recvfrom(get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                      reinterpret_cast<sockaddr*>(&sender), &length);
        if (rc >= 0) {
            Received got;
            got.status = IoStatus::data;
            got.size = static_cast<std::size_t>(rc);
            got.truncated = got.size > buffer.size();
            got.sender = Address(reinterpret_cast<const sockaddr*>(&sender), length);
            return got;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return Received{};
        }
        if (errno != EINTR) {
            throw_errno("recvfrom");
        }
    }
    // END SOLUTION
}

void UdpSocket::set_nonblocking(bool on) {
    core::set_nonblocking(get(), on);
}

Address UdpSocket::local_address() const {
    return local_address_of(get());
}

}  // namespace netlab::core
