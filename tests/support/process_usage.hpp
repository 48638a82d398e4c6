#pragma once
// What a child process uses, from /proc: its memory (VmRSS now, VmHWM at the peak) and its CPU time.

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

namespace netlab::testing {

/// A "VmRSS" or "VmHWM" line of /proc/PID/status, in KiB; nullopt if the process is gone.
std::optional<std::size_t> memory_kib(pid_t pid, const std::string& field);

/// User plus system CPU time of pid so far, in clock ticks (sysconf(_SC_CLK_TCK) per second); -1 if
/// it is gone.
long cpu_ticks(pid_t pid);

}  // namespace netlab::testing
