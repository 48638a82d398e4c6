#include "endpoint.hpp"

#include <netdb.h>

#include <charconv>
#include <system_error>

#include "addrinfo.hpp"
#include "check.hpp"

namespace netlab {

std::optional<std::uint16_t> parse_port(std::string_view text) {
    std::uint16_t port = 0;
    const char* end = text.data() + text.size();
    if (text.empty() || text.front() == '+' || text.front() == '-') {
        return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(text.data(), end, port);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return port;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return std::nullopt;  // an IPv6 literal must be written in brackets
        }
    }
    const auto number = parse_port(port);
    if (host.empty() || !number) {
        return std::nullopt;
    }
    return HostPort{std::string(host), *number};
}

std::string to_string(const sockaddr* address, socklen_t length) {
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    const int rc = ::getnameinfo(address, length, host, sizeof host, service, sizeof service,
                                 NI_NUMERICHOST | NI_NUMERICSERV);
    if (rc != 0) {
        throw std::system_error(rc, gai_category(), "getnameinfo");
    }
    const auto port = parse_port(service);
    return format_host_port(HostPort{host, port.value_or(0)});
}

std::string local_endpoint(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getsockname", ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length));
    return to_string(reinterpret_cast<const sockaddr*>(&address), length);
}

std::string peer_endpoint(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall("getpeername", ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length));
    return to_string(reinterpret_cast<const sockaddr*>(&address), length);
}

std::string format_host_port(const HostPort& endpoint) {
    const bool v6 = endpoint.host.find(':') != std::string::npos;
    return (v6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

}  // namespace netlab
