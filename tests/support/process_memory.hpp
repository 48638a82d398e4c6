#pragma once
// The memory of a child process, from /proc: VmRSS (now) or VmHWM (the peak so far).

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

namespace netlab::testing {

/// A "VmRSS" or "VmHWM" line of /proc/PID/status, in KiB; nullopt if the process is gone.
std::optional<std::size_t> memory_kib(pid_t pid, const std::string& field);

}  // namespace netlab::testing
