#pragma once
// A server out of file descriptors, the scenario labs 04, 05 and 09 share: its limit is cut so that
// accept() fails with EMFILE while clients keep arriving. They wait in the kernel's backlog, so the
// listener stays readable; a server that keeps retrying spins a CPU and floods its log. One that
// pauses accepting idles until descriptors are free again.

#include <sys/resource.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "server_process.hpp"

namespace netlab::testing {

#if defined(__SANITIZE_ADDRESS__)
/// A sanitized server needs descriptors for the sanitizer too, so starving it only produces false
/// reports: the asan build skips these scenarios.
inline constexpr bool kCanStarveDescriptors = false;
#else
inline constexpr bool kCanStarveDescriptors = true;
#endif

/// More log lines than this in one second is a flood (a pause logs one line per 100 ms at most).
inline constexpr std::size_t kFloodLines = 30;

/// Sets the server's RLIMIT_NOFILE (soft and hard) to limit; false if prlimit failed.
bool limit_descriptors(ServerProcess& server, rlim_t limit);

/// True once the server's log says accept() ran out of descriptors ("Too many open files"),
/// waiting at most timeout.
bool reports_out_of_descriptors(ServerProcess& server, std::chrono::milliseconds timeout);

/// What a starved server did while watched.
struct StarvedWatch {
    long cpu_ticks = 0;         ///< CPU time it used, in clock ticks
    std::size_t log_lines = 0;  ///< lines it added to its log
    std::chrono::milliseconds watched{0};
    std::string log_tail;  ///< the last 300 characters of its log, for failure messages
};

/// Watches the server for one second, or until it has written flood_lines log lines.
StarvedWatch watch_starved(ServerProcess& server, std::size_t flood_lines);

/// Asserts (non-fatally) that a watch saw an idle server: under half a CPU second and fewer than
/// flood_lines log lines.
void expect_idle(const StarvedWatch& watch, std::size_t flood_lines);

}  // namespace netlab::testing
