#pragma once
// Helpers shared by the lab 07 tests: the HTTP test peer (netlab_http_peer) as a child on an
// ephemeral port, a port that refuses connections, and a lab program run
// to completion with its output, exit status and PEAK memory (wait4's ru_maxrss).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "07_libcurl/request.hpp"
#include "child_process.hpp"
#include "temp_dir.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

/// build/bin/netlab_http_peer on 127.0.0.1:0, started and listening (its routes: see
/// tests/support/http_peer/routes.hpp).
class LocalServer {
public:
    /// Starts the peer with extra arguments (e.g. --cert FILE --key FILE for HTTPS).
    explicit LocalServer(const std::vector<std::string>& extra = {});
    /// "http://127.0.0.1:PORT" + path.
    [[nodiscard]] std::string url(const std::string& path) const;
    /// The port it listens on.
    [[nodiscard]] std::uint16_t port() const noexcept { return endpoint_.port; }
    /// The peer's stderr so far: one line per request ("netlab_http_peer: GET /path") or refusal.
    [[nodiscard]] std::string log() { return process_.stderr_text(); }

private:
    ChildProcess process_;
    HostPort endpoint_;
};

/// A loopback TCP port with nothing listening on it (bound, then closed): connecting is refused.
std::uint16_t refused_port();

/// What run_program saw.
struct ProgramRun {
    int status = -1;        ///< exit code, 128+signal, or -1 if it had to be killed on timeout
    std::string out;        ///< everything on stdout
    std::string err;        ///< everything on stderr
    long peak_rss_kib = 0;  ///< the child's peak resident memory (ru_maxrss)
    /// One line for failure messages.
    [[nodiscard]] std::string describe() const;
};

/// Runs build/bin/program with args until it exits (SIGKILL after timeout); stdin is /dev/null.
ProgramRun run_program(const std::string& program, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = 30s);

/// Reads the whole file into content; false when it cannot be opened.
bool read_file(const std::string& path, std::string& content);

/// True when path exists.
bool file_exists(const std::string& path);

/// A GET of url that gives up after 20 s, so a stuck transfer fails its test instead of hanging it.
curl::Request get(const std::string& url);

/// The counting pattern of the peer's /bytes/N: 16-byte records "000000000000016\n".
std::string counting_pattern(std::size_t size);

}  // namespace netlab::testing
