// This lab shows:
//  - walking getaddrinfo's list: try each address until one works, and report the
//    last error if none does (a name can resolve to IPv6 and IPv4 addresses);
//  - SOCK_CLOEXEC, so the socket does not leak into programs we start;
//  - no SO_REUSEADDR on UDP: on Linux it would let two sockets share one port and
//    split the datagrams between them.

#include "02_datagram/udp_socket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "common/addrinfo.hpp"

namespace netlab::datagram {

UniqueFd bind_udp(const std::string& host, std::uint16_t port) {
    // BEGIN SOLUTION bind_udp
    const AddrInfoList addresses = resolve(host, port, SOCK_DGRAM, Passive::yes);
    std::error_code last_error;
    const char* failed_call = "bind";
    for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
        UniqueFd fd(::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
        if (!fd) {
            last_error = std::error_code(errno, std::system_category());
            failed_call = "socket";
            continue;
        }
        if (::bind(fd.get(), address->ai_addr, address->ai_addrlen) == 0) {
            return fd;
        }
        last_error = std::error_code(errno, std::system_category());
        failed_call = "bind";
    }
    throw std::system_error(last_error, std::string(failed_call) + " " + host + ":" + std::to_string(port));
    // END SOLUTION
}

UniqueFd connect_udp(const std::string& host, std::uint16_t port) {
    // BEGIN SOLUTION connect_udp
    const AddrInfoList addresses = resolve(host, port, SOCK_DGRAM, Passive::no);
    std::error_code last_error;
    const char* failed_call = "connect";
    for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
        UniqueFd fd(::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
        if (!fd) {
            last_error = std::error_code(errno, std::system_category());
            failed_call = "socket";
            continue;
        }
        // On UDP connect() only records the peer (and picks our local address): nothing is sent.
        if (::connect(fd.get(), address->ai_addr, address->ai_addrlen) == 0) {
            return fd;
        }
        last_error = std::error_code(errno, std::system_category());
        failed_call = "connect";
    }
    throw std::system_error(last_error, std::string(failed_call) + " " + host + ":" + std::to_string(port));
    // END SOLUTION
}

}  // namespace netlab::datagram
