#pragma once
// This file shows:
//  - the accept() failures that mean "this server is out of a resource" (EMFILE: no descriptor
//    left for the new socket; ENFILE, ENOBUFS, ENOMEM) rather than "the listener is broken";
//  - why they need care in an event loop: the client stays in the backlog, so the listener stays
//    readable. Retrying at once spins at 100% CPU (level-triggered) or stalls for good (edge-
//    triggered); the servers of this lab stop watching the listener until a connection ends or
//    a short timer fires.

#include <cerrno>
#include <system_error>

namespace netlab::multiplexing {

/// True for EMFILE, ENFILE, ENOBUFS and ENOMEM: pause accepting, do not exit.
inline bool is_out_of_resources(const std::system_error& error) noexcept {
    if (error.code().category() != std::system_category()) {
        return false;
    }
    const int code = error.code().value();
    return code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM;
}

}  // namespace netlab::multiplexing
