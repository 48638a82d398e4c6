#include "lab05_helpers.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {

std::vector<std::string> listen_args(std::vector<std::string> extra) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

ServerProcess::ServerProcess(const std::string& program, const std::vector<std::string>& args)
    : process(program, args), endpoint(process.wait_listening()) {}

UniqueFd ServerProcess::connect() const {
    return connect_to(endpoint.host, endpoint.port);
}

std::string round_trip(int fd, const std::string& text) {
    if (!send_within(fd, text, 10s)) {
        return "could not send '" + text + "' within 10 s";
    }
    const auto echoed = read_exactly(fd, text.size(), 10s);
    if (!echoed) {
        return "no echo of '" + text + "' within 10 s (EOF, error or timeout)";
    }
    return *echoed == text ? "" : "the echo was '" + *echoed + "', expected '" + text + "'";
}

PushResult push_without_reading(int fd, std::size_t limit, std::chrono::milliseconds stall_window) {
    PushResult result;
    const std::string block(64 * 1024, 'p');
    while (result.sent < limit) {
        pollfd entry{fd, POLLOUT, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(stall_window.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            result.stalled = true;  // the window passed without room for a single byte
            return result;
        }
        const std::size_t size = std::min(block.size(), limit - result.sent);
        const ssize_t n = ::send(fd, block.data(), size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            result.problem = std::string("send: ") + std::strerror(errno);
            return result;
        }
        result.sent += static_cast<std::size_t>(n);
    }
    return result;
}

std::optional<std::size_t> memory_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with(field + ":")) {
            std::istringstream fields(line.substr(field.size() + 1));
            std::size_t kib = 0;
            if (fields >> kib) {
                return kib;
            }
        }
    }
    return std::nullopt;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "netlab-lab05-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path file = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

}  // namespace netlab::testing
