#pragma once
// This file shows:
//  - getaddrinfo wrapped in RAII: the list is freed with freeaddrinfo, always;
//  - getaddrinfo's own error codes (EAI_*) as a std::error_category, so a failed
//    lookup reads "getaddrinfo: Name or service not known" like any other system error.

#include <netdb.h>

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>

namespace netlab {

/// The error category of getaddrinfo's EAI_* codes (messages from gai_strerror).
const std::error_category& gai_category() noexcept;

/// Deleter for a getaddrinfo result list.
struct AddrInfoDeleter {
    void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};

/// Owns the linked list returned by getaddrinfo; walk it with ->ai_next.
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoDeleter>;

/// Which end of a connection the addresses are for.
enum class Passive : bool { no = false, yes = true };

/// getaddrinfo(host, port) for one socket type (SOCK_STREAM or SOCK_DGRAM), IPv4 and IPv6.
/// Passive::yes asks for addresses to bind. Throws std::system_error("getaddrinfo") on failure.
AddrInfoList resolve(const std::string& host, std::uint16_t port, int socktype, Passive passive);

}  // namespace netlab
