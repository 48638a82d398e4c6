#include "accept_error.hpp"

#include <cerrno>

namespace netlab {

AcceptError classify_accept_error(int error) noexcept {
    switch (error) {
        case EINTR:
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
        case ECONNABORTED:  // the client gave up while it waited in the backlog
        case EPROTO:
        case EPERM:  // a firewall rule refused this connection
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case EOPNOTSUPP:
        case ENETUNREACH:
            return AcceptError::retry;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            return AcceptError::out_of_resources;
        default:
            return AcceptError::fatal;
    }
}

}  // namespace netlab
