#pragma once
// This file shows:
//  - asking the resolver (getaddrinfo) for every address of a name, IPv4 and IPv6 alike;
//  - turning a binary address back into text with inet_ntop, one family at a time.

#include <string>
#include <vector>

namespace netlab::stream {

/// One address of a host: its family (AF_INET or AF_INET6) and its text ("127.0.0.1", "::1").
struct HostAddress {
    int family = 0;
    std::string text;
    /// Same family and same text.
    bool operator==(const HostAddress&) const = default;
};

/// Every IPv4 and IPv6 address of host, in the resolver's order, each once.
/// Throws std::system_error("getaddrinfo HOST") when the name does not resolve.
std::vector<HostAddress> host_addresses(const std::string& host);

}  // namespace netlab::stream
