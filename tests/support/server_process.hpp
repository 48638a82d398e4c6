#pragma once
// A lab server started as a child process on loopback port 0, with the port it printed.

#include <string>
#include <vector>

#include "child_process.hpp"
#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::testing {

/// "--listen HOST:0" (an IPv6 host gets brackets) plus extra arguments: a server on any free port.
std::vector<std::string> listen_args(std::vector<std::string> extra = {},
                                     const std::string& host = "127.0.0.1");

/// A lab program started as a child that has printed its "listening on" line.
struct ServerProcess {
    ServerProcess(const std::string& program, const std::vector<std::string>& args);
    /// Connects a test-side socket to the server. When that fails, throws std::runtime_error saying
    /// whether the server is still running (or how it exited) and what it wrote on stderr.
    [[nodiscard]] UniqueFd connect();
    /// The server's stderr so far, for failure messages.
    [[nodiscard]] std::string log() { return process.stderr_text(); }

    ChildProcess process;
    HostPort endpoint;
};

}  // namespace netlab::testing
