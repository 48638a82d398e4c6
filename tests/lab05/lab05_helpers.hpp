#pragma once
// Helpers shared by the lab 05 tests: a server child process with its port, a concurrent
// send-and-receive with chunk sizes we choose, a client that pushes without reading, and the
// memory of a child read from /proc (VmRSS now, VmHWM = the peak so far).

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "common/unique_fd.hpp"
#include "exchange.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// The argument list for a server on loopback port 0, plus extra arguments.
std::vector<std::string> listen_args(std::vector<std::string> extra = {});

/// A lab program started as a child that has printed its "listening on" line.
struct ServerProcess {
    ServerProcess(const std::string& program, const std::vector<std::string>& args);
    /// Connects a test-side socket to the server; throws std::system_error("connect").
    [[nodiscard]] UniqueFd connect() const;

    ChildProcess process;
    HostPort endpoint;
};

/// Sends text and reads the same number of bytes back within 10 s; "" on success, else what went wrong.
std::string round_trip(int fd, const std::string& text);

/// What push_without_reading() managed.
struct PushResult {
    std::size_t sent = 0;  ///< bytes the kernel accepted before we stopped
    bool stalled = false;  ///< stopped because no byte could be sent for the stall window
    std::string problem;   ///< an error other than a stall (e.g. the peer reset us)
};

/// Sends up to limit bytes on fd without ever reading, until no byte can be sent for stall_window.
PushResult push_without_reading(int fd, std::size_t limit, std::chrono::milliseconds stall_window);

/// A "VmRSS" or "VmHWM" line of /proc/PID/status, in KiB; nullopt if the process is gone.
std::optional<std::size_t> memory_kib(pid_t pid, const std::string& field);

/// A temporary folder, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The folder's absolute path.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// Writes a file (creating parent folders); relative is below path().
    void write(const std::string& relative, const std::string& content) const;

private:
    std::string path_;
};

}  // namespace netlab::testing
