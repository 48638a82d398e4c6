#pragma once
// Runs a lab program from build/bin as a child process, the way a learner would from a shell:
// arguments, stdin, captured stdout/stderr, signals and exit status, all with deadlines.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::testing {

/// Absolute path of a built lab program, e.g. program_path("tcp_echo_server"); an absolute path
/// (the harness's own tests run /bin/sh) is taken as it is.
std::string program_path(const std::string& name);

/// One running child. The destructor kills (SIGKILL) and reaps it if it is still running.
class ChildProcess {
public:
    /// Starts program_path(program) with args; its stdin is a pipe we own. Throws on failure.
    ChildProcess(const std::string& program, const std::vector<std::string>& args);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The next line of stdout without its newline, or nullopt on timeout or EOF.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    /// Reads the first stdout line and parses "listening on HOST:PORT"; throws std::runtime_error
    /// quoting what was printed (stdout and stderr) if that line does not come in time.
    HostPort wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Everything on stdout until the child closes it, or nullopt on timeout.
    std::optional<std::string> read_all_stdout(std::chrono::milliseconds timeout);
    /// All stderr captured so far.
    std::string stderr_text();

    /// Writes all of data to the child's stdin (blocking).
    void write_stdin(const std::string& data);
    /// Closes the child's stdin so it sees EOF.
    void close_stdin();

    /// Sends a signal to the child.
    void send_signal(int signal_number);
    /// Exit code (or 128+signal if killed by a signal), or nullopt if still running after timeout.
    /// Once it returns a status, stderr_text() holds everything the child wrote.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    /// The child's process id.
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    void pump();

    pid_t pid_ = -1;
    std::optional<int> status_;
    UniqueFd stdin_;
    UniqueFd stdout_;
    UniqueFd stderr_;
    UniqueFd wake_;  // written to stop the pump thread
    UniqueFd wake_read_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string out_;
    std::string err_;
    bool out_closed_ = false;
    bool err_closed_ = false;
    std::thread pump_;
};

/// "exit status N", or "still running" when wait_exit gave up, for failure messages.
std::string describe_exit(const std::optional<int>& status);

}  // namespace netlab::testing
