// This lab shows:
//  - falling through the resolver's list: "localhost" may be ::1 and 127.0.0.1, and a
//    server may listen on only one of them, so ECONNREFUSED on one address is not the end;
//  - a fresh socket per attempt (a socket whose connect failed cannot be reused portably);
//  - connect() interrupted by a signal goes on in the background: wait for it, never call it twice.

#include "01_stream/connect_tcp.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "common/addrinfo.hpp"
#include "common/endpoint.hpp"

namespace netlab::stream {

UniqueFd connect_tcp(const std::string& host, std::uint16_t port) {
    // BEGIN SOLUTION connect_tcp
    // After EINTR the handshake continues; poll for writable, then SO_ERROR holds the outcome.
    const auto finish_interrupted_connect = [](int fd) {
        pollfd entry{fd, POLLOUT, 0};
        while (::poll(&entry, 1, -1) < 0) {
            if (errno != EINTR) {
                return -1;
            }
        }
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) {
            return -1;
        }
        errno = error;
        return error == 0 ? 0 : -1;
    };

    const AddrInfoList addresses = resolve(host, port, SOCK_STREAM, Passive::no);
    int last_error = EADDRNOTAVAIL;
    std::string last_call = "connect " + host;
    for (const addrinfo* entry = addresses.get(); entry != nullptr; entry = entry->ai_next) {
        const std::string where = to_string(entry->ai_addr, entry->ai_addrlen);
        UniqueFd fd(::socket(entry->ai_family, entry->ai_socktype | SOCK_CLOEXEC, entry->ai_protocol));
        if (!fd) {
            last_error = errno;
            last_call = "socket " + where;
            continue;
        }
        int rc = ::connect(fd.get(), entry->ai_addr, entry->ai_addrlen);
        if (rc < 0 && errno == EINTR) {
            rc = finish_interrupted_connect(fd.get());
        }
        if (rc == 0) {
            return fd;
        }
        last_error = errno;  // ECONNREFUSED, ENETUNREACH, ...: remember it and try the next address
        last_call = "connect " + where;
    }
    throw std::system_error(last_error, std::system_category(), last_call);
    // END SOLUTION
}

}  // namespace netlab::stream
