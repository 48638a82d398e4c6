#pragma once
// This file shows:
//  - the project's one way to report a failed system call: std::system_error,
//    whose message starts with the name of the call that failed.

#include <cerrno>
#include <string>
#include <system_error>

namespace netlab {

/// Throws std::system_error(errno, system_category(), call) when rc < 0; returns rc otherwise.
template <typename T>
T check_syscall(const char* call, T rc) {
    if (rc < 0) {
        throw std::system_error(errno, std::system_category(), call);
    }
    return rc;
}

/// Throws std::system_error for the current errno, named after call.
[[noreturn]] inline void throw_errno(const char* call) {
    throw std::system_error(errno, std::system_category(), call);
}

}  // namespace netlab
