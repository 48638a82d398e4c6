// This lab shows:
//  - walking getaddrinfo's linked list (ai_next) with the list owned by RAII;
//  - reading a sockaddr by its family: sockaddr_in for IPv4, sockaddr_in6 for IPv6
//    (copied out with memcpy rather than read through a cast pointer);
//  - why we deduplicate: a name listed twice in /etc/hosts comes back twice.

#include "01_stream/host_addresses.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "common/addrinfo.hpp"
#include "common/check.hpp"

namespace netlab::stream {

std::vector<HostAddress> host_addresses(const std::string& host) {
    // BEGIN SOLUTION host_addresses
    const AddrInfoList list = resolve(host, 0, SOCK_STREAM, Passive::no);
    std::vector<HostAddress> found;
    for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
        char text[INET6_ADDRSTRLEN];
        const char* converted = nullptr;
        if (entry->ai_family == AF_INET) {
            sockaddr_in v4{};
            std::memcpy(&v4, entry->ai_addr, sizeof v4);
            converted = ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        } else if (entry->ai_family == AF_INET6) {
            sockaddr_in6 v6{};
            std::memcpy(&v6, entry->ai_addr, sizeof v6);
            converted = ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        } else {
            continue;  // neither IPv4 nor IPv6: not ours to print
        }
        if (converted == nullptr) {
            throw_errno("inet_ntop");
        }
        HostAddress address{entry->ai_family, text};
        if (std::find(found.begin(), found.end(), address) == found.end()) {
            found.push_back(std::move(address));
        }
    }
    return found;
    // END SOLUTION
}

}  // namespace netlab::stream
