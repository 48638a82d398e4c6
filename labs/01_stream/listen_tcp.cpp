// This lab shows:
//  - Beej's "loop through all the results and bind to the first we can": getaddrinfo may
//    return several addresses (IPv4 and IPv6), and any one of them may fail;
//  - SO_REUSEADDR: a restarted server can bind its port while old connections sit in TIME_WAIT;
//  - keeping errno from the failing call itself, before anything else can overwrite it.

#include "01_stream/listen_tcp.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "common/addrinfo.hpp"
#include "common/endpoint.hpp"

namespace netlab::stream {

UniqueFd listen_tcp(const std::string& host, std::uint16_t port, int backlog) {
    // BEGIN SOLUTION listen_tcp
    const AddrInfoList addresses = resolve(host, port, SOCK_STREAM, Passive::yes);
    int last_error = EADDRNOTAVAIL;
    std::string last_call = "listen_tcp " + host;
    for (const addrinfo* entry = addresses.get(); entry != nullptr; entry = entry->ai_next) {
        const std::string where = to_string(entry->ai_addr, entry->ai_addrlen);
        UniqueFd fd(::socket(entry->ai_family, entry->ai_socktype | SOCK_CLOEXEC, entry->ai_protocol));
        const int on = 1;
        const char* failed = nullptr;
        if (!fd) {
            failed = "socket";
        } else if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
            failed = "setsockopt SO_REUSEADDR";
        } else if (::bind(fd.get(), entry->ai_addr, entry->ai_addrlen) < 0) {
            failed = "bind";
        } else if (::listen(fd.get(), backlog) < 0) {
            failed = "listen";
        } else {
            return fd;
        }
        last_error = errno;  // read it first: building the message below may change errno
        last_call = std::string(failed) + " " + where;
    }
    throw std::system_error(last_error, std::system_category(), last_call);
    // END SOLUTION
}

}  // namespace netlab::stream
