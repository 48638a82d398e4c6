#pragma once
// This file shows:
//  - one value type for "an IPv4 or IPv6 address and port": sockaddr_storage is big enough and
//    aligned for every family, and the length says how much of it the kernel should read;
//  - the printable form every lab uses, "1.2.3.4:80" and "[::1]:80" (brackets, because an IPv6
//    address is full of colons), turned into an address without DNS (parse) or with it (resolve);
//  - the C API's sockaddr pointers staying inside this type, where the casts are checked once.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/addrinfo.hpp"

namespace netlab::core {

/// An AF_INET or AF_INET6 socket address (or empty). A plain value: copy it freely.
class Address {
public:
    /// The empty address: family AF_UNSPEC, size 0.
    Address() noexcept = default;
    /// Copies length bytes of address (from accept, recvfrom, getaddrinfo...).
    /// Throws std::invalid_argument unless it is a whole sockaddr_in or sockaddr_in6.
    Address(const sockaddr* address, socklen_t length);

    /// Parses "1.2.3.4:80" or "[::1]:80" (also "[fe80::1%eth0]:80"): numeric only, never DNS.
    /// nullopt when malformed, e.g. "1.2.3:80", "::1:80" (no brackets), "a.b:80" or port 65536.
    static std::optional<Address> parse(std::string_view text);
    /// The addresses of host:port from getaddrinfo (IPv4 and IPv6, in its order), for socktype
    /// SOCK_STREAM or SOCK_DGRAM. Passive::yes with an empty host means "any address", to bind.
    /// Throws std::system_error("getaddrinfo ...") when the name does not resolve.
    static std::vector<Address> resolve(const std::string& host, std::uint16_t port, int socktype,
                                        Passive passive = Passive::no);

    /// "1.2.3.4:80", "[::1]:80", "[fe80::1%eth0]:80"; "(none)" when empty. parse() reads it back.
    [[nodiscard]] std::string to_string() const;
    /// AF_INET, AF_INET6, or AF_UNSPEC when empty.
    [[nodiscard]] int family() const noexcept { return storage_.ss_family; }
    /// The port in host byte order (0 when empty).
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// For bind/connect/sendto: the sockaddr the kernel reads.
    [[nodiscard]] const sockaddr* data() const noexcept {
        return reinterpret_cast<const sockaddr*>(&storage_);
    }
    /// For bind/connect/sendto: how many bytes of data() are the address.
    [[nodiscard]] socklen_t size() const noexcept { return size_; }
    /// True unless empty.
    explicit operator bool() const noexcept { return size_ != 0; }

    /// Same family, IP address, port (and IPv6 scope).
    friend bool operator==(const Address& a, const Address& b) noexcept;

private:
    sockaddr_storage storage_{};
    socklen_t size_ = 0;
};

/// The address a socket is bound to (getsockname). Throws std::system_error("getsockname").
Address local_address_of(int fd);
/// The address of a socket's connected peer (getpeername). Throws std::system_error("getpeername").
Address peer_address_of(int fd);

}  // namespace netlab::core
