// This file shows:
//  - inet_pton/inet_ntop for the numeric forms: strict (inet_pton rejects "127.1", which
//    getaddrinfo and inet_aton would quietly read as 127.0.0.1) and no DNS lookup;
//  - IPv6 zones ("%eth0"): a link-local address means nothing without its interface;
//  - memcpy between sockaddr_storage and sockaddr_in/sockaddr_in6 instead of pointer casts
//    into the storage, so each field is read from a real object of its own type.

#include "03_encapsulation/core/address.hpp"

#include <arpa/inet.h>
#include <net/if.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

#include "common/check.hpp"
#include "common/endpoint.hpp"

namespace netlab::core {
namespace {

template <typename SockAddr>
SockAddr copy_out(const sockaddr_storage& storage) noexcept {
    SockAddr address;
    std::memcpy(&address, &storage, sizeof address);
    return address;
}

}  // namespace

Address::Address(const sockaddr* address, socklen_t length) {
    const auto size = static_cast<std::size_t>(length);
    if (address == nullptr || size < sizeof(sa_family_t)) {
        throw std::invalid_argument("Address: no address");
    }
    if (address->sa_family == AF_INET && size >= sizeof(sockaddr_in)) {
        size_ = sizeof(sockaddr_in);
    } else if (address->sa_family == AF_INET6 && size >= sizeof(sockaddr_in6)) {
        size_ = sizeof(sockaddr_in6);
    } else {
        throw std::invalid_argument("Address: family " + std::to_string(address->sa_family) + " with " +
                                    std::to_string(size) + " bytes is not an IPv4 or IPv6 socket address");
    }
    std::memcpy(&storage_, address, size_);
}

std::optional<Address> Address::parse(std::string_view text) {
    // BEGIN SOLUTION Address::parse
    const auto make_address = [](const auto& address) {
        return Address(reinterpret_cast<const sockaddr*>(&address), sizeof address);
    };
    const std::optional<HostPort> split = parse_host_port(text);
    if (!split) {
        return std::nullopt;
    }
    if (!text.starts_with('[')) {  // IPv4: exactly four decimal numbers
        sockaddr_in v4{};
        v4.sin_family = AF_INET;
        v4.sin_port = htons(split->port);
        if (::inet_pton(AF_INET, split->host.c_str(), &v4.sin_addr) != 1) {
            return std::nullopt;
        }
        return make_address(v4);
    }
    // IPv6 in brackets, maybe with a zone: "fe80::1%eth0" or "fe80::1%2".
    const std::size_t percent = split->host.find('%');
    const std::string host = split->host.substr(0, percent);
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(split->port);
    if (::inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) != 1) {
        return std::nullopt;
    }
    if (percent != std::string::npos) {
        const std::string zone = split->host.substr(percent + 1);
        const char* end = zone.data() + zone.size();
        auto [stop, error] = std::from_chars(zone.data(), end, v6.sin6_scope_id);
        if (error != std::errc{} || stop != end) {
            v6.sin6_scope_id = ::if_nametoindex(zone.c_str());  // 0: no such interface
        }
        if (v6.sin6_scope_id == 0) {
            return std::nullopt;
        }
    }
    return make_address(v6);
    // END SOLUTION
}

std::vector<Address> Address::resolve(const std::string& host, std::uint16_t port, int socktype,
                                      Passive passive) {
    // BEGIN SOLUTION Address::resolve
    std::vector<Address> addresses;
    const AddrInfoList list = netlab::resolve(host, port, socktype, passive);
    for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
        if (entry->ai_family == AF_INET || entry->ai_family == AF_INET6) {
            addresses.emplace_back(entry->ai_addr, entry->ai_addrlen);
        }
    }
    return addresses;
    // END SOLUTION
}

std::string Address::to_string() const {
    // BEGIN SOLUTION Address::to_string
    char host[INET6_ADDRSTRLEN];
    if (family() == AF_INET) {
        const auto v4 = copy_out<sockaddr_in>(storage_);
        ::inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(v4.sin_port));
    }
    if (family() == AF_INET6) {
        const auto v6 = copy_out<sockaddr_in6>(storage_);
        ::inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
        std::string text = "[";  // built with += : GCC 12 -O3 misreads "[" + s + ... (-Wrestrict, PR105651)
        text += host;
        if (v6.sin6_scope_id != 0) {
            char zone[IF_NAMESIZE];
            text += '%';
            text += ::if_indextoname(v6.sin6_scope_id, zone) != nullptr ? std::string(zone)
                                                                        : std::to_string(v6.sin6_scope_id);
        }
        text += "]:";
        text += std::to_string(ntohs(v6.sin6_port));
        return text;
    }
    return "(none)";
    // END SOLUTION
}

std::uint16_t Address::port() const noexcept {
    if (family() == AF_INET) {
        return ntohs(copy_out<sockaddr_in>(storage_).sin_port);
    }
    if (family() == AF_INET6) {
        return ntohs(copy_out<sockaddr_in6>(storage_).sin6_port);
    }
    return 0;
}

bool operator==(const Address& a, const Address& b) noexcept {
    if (a.family() != b.family() || a.port() != b.port()) {
        return false;
    }
    if (a.family() == AF_INET) {
        return copy_out<sockaddr_in>(a.storage_).sin_addr.s_addr ==
               copy_out<sockaddr_in>(b.storage_).sin_addr.s_addr;
    }
    if (a.family() == AF_INET6) {
        const auto x = copy_out<sockaddr_in6>(a.storage_);
        const auto y = copy_out<sockaddr_in6>(b.storage_);
        return std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0 &&
               x.sin6_scope_id == y.sin6_scope_id;
    }
    return true;  // both empty
}

Address local_address_of(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getsockname", ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length));
    return Address(reinterpret_cast<const sockaddr*>(&address), length);
}

Address peer_address_of(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getpeername", ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length));
    return Address(reinterpret_cast<const sockaddr*>(&address), length);
}

}  // namespace netlab::core
