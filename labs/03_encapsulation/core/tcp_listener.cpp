// This file shows:
//  - the server's four calls in order, each failure named: socket, setsockopt, bind, listen;
//  - SO_REUSEADDR: a restarted server can bind its port while old connections sit in TIME_WAIT;
//  - accept4(SOCK_CLOEXEC | SOCK_NONBLOCK): the new socket's flags set in the same call, so no
//    other thread can fork/exec in between and no extra fcntl is needed.

#include "03_encapsulation/core/tcp_listener.hpp"

#include <cerrno>
#include <system_error>

#include "03_encapsulation/core/nonblocking.hpp"
#include "common/accept_error.hpp"
#include "common/check.hpp"

namespace netlab::core {

TcpListener TcpListener::bind(const Address& address, int backlog) {
    // BEGIN SOLUTION TcpListener::bind
    UniqueFd socket(check_syscall("socket", ::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0)));
    const int on = 1;
    check_syscall("setsockopt SO_REUSEADDR",
                  ::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    if (::bind(socket.get(), address.data(), address.size()) < 0) {
        const int error = errno;  // before to_string() can change it
        throw std::system_error(error, std::system_category(), "bind " + address.to_string());
    }
    check_syscall("listen", ::listen(socket.get(), backlog));
    return TcpListener(std::move(socket));
    // END SOLUTION
}

TcpListener TcpListener::bind(const std::string& host, std::uint16_t port, int backlog) {
    std::optional<std::system_error> last_failure;
    for (const Address& address : Address::resolve(host, port, SOCK_STREAM, Passive::yes)) {
        try {
            return bind(address, backlog);
        } catch (const std::system_error& failure) {
            last_failure = failure;
        }
    }
    if (last_failure) {
        throw *last_failure;
    }
    throw std::system_error(std::make_error_code(std::errc::address_not_available), "bind " + host);
}

std::optional<Accepted> TcpListener::accept(StreamMode mode) {
    // BEGIN SOLUTION TcpListener::accept
    const int flags = SOCK_CLOEXEC | (mode == StreamMode::nonblocking ? SOCK_NONBLOCK : 0);
    for (;;) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        UniqueFd socket(::accept4(get(), reinterpret_cast<sockaddr*>(&peer), &length, flags));
        if (socket) {
            return Accepted{TcpStream(std::move(socket)),
                            Address(reinterpret_cast<const sockaddr*>(&peer), length)};
        }
        const int error = errno;
        if (error == EAGAIN || error == EWOULDBLOCK) {
            return std::nullopt;  // non-blocking, and nobody is waiting
        }
        if (classify_accept_error(error) != AcceptError::retry) {
            // out of resources (EMFILE...): the client waits on; fatal (EBADF, EINVAL): not listening
            throw std::system_error(error, std::system_category(), "accept");
        }
    }
    // END SOLUTION
}

void TcpListener::set_nonblocking(bool on) {
    core::set_nonblocking(get(), on);
}

Address TcpListener::local_address() const {
    return local_address_of(get());
}

}  // namespace netlab::core
