#pragma once
// This file shows:
//  - the project's error rule applied to a C library that reports failure as -1 or NULL: a
//    std::system_error named after the libevent call, carrying EVUTIL_SOCKET_ERROR() (errno on
//    Unix), so "bufferevent_enable: Bad file descriptor" says what failed and why.

#include <event2/util.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace netlab::libevent {

/// Throws std::system_error named after call with the last socket error, or EIO when libevent
/// failed without setting one. Call it right after the failing call, before anything else.
[[noreturn]] inline void throw_libevent_error(const std::string& call) {
    const int error = EVUTIL_SOCKET_ERROR();
    throw std::system_error(error != 0 ? error : EIO, std::system_category(), call);
}

}  // namespace netlab::libevent
