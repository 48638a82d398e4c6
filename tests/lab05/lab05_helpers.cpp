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

UniqueFd ServerProcess::connect() const { return connect_to(endpoint.host, endpoint.port); }

std::string ExchangeResult::summary(std::size_t expected_size) const {
    return "received " + std::to_string(received.size()) + " of " + std::to_string(expected_size) + " bytes, " +
           (eof ? "then EOF" : "no EOF") + (sent_all ? "" : ", NOT everything was sent") +
           (problem.empty() ? "" : "; " + problem);
}

ExchangeResult exchange(int fd, const std::string& payload, const ExchangeOptions& options) {
    const auto deadline = Clock::now() + options.timeout;
    ExchangeResult result;
    std::atomic<bool> sent_all{false};
    std::string send_problem;
    std::thread sender([&] {
        std::size_t offset = 0;
        std::size_t turn = 0;
        while (offset < payload.size()) {
            const std::size_t size =
                std::min(options.send_sizes[turn++ % options.send_sizes.size()], payload.size() - offset);
            if (!send_within(fd, payload.substr(offset, size), std::chrono::milliseconds(millis_left(deadline)))) {
                send_problem = "sending stopped at byte " + std::to_string(offset) + " (peer gone or deadline)";
                return;
            }
            offset += size;
        }
        if (::shutdown(fd, SHUT_WR) < 0) {
            send_problem = std::string("shutdown(SHUT_WR): ") + std::strerror(errno);
            return;
        }
        sent_all = true;
    });
    std::vector<char> buffer(*std::max_element(options.read_sizes.begin(), options.read_sizes.end()));
    std::size_t turn = 0;
    for (;;) {
        pollfd entry{fd, POLLIN, 0};
        const int ready = ::poll(&entry, 1, millis_left(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            result.problem = "no EOF within " + std::to_string(options.timeout.count()) + " ms";
            break;
        }
        const std::size_t size = options.read_sizes[turn++ % options.read_sizes.size()];
        const ssize_t got = ::recv(fd, buffer.data(), size, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got < 0) {
            result.problem = std::string("recv: ") + std::strerror(errno);
            break;
        }
        if (got == 0) {
            result.eof = true;
            break;
        }
        result.received.append(buffer.data(), static_cast<std::size_t>(got));
    }
    if (!result.eof || !sent_all) {
        ::shutdown(fd, SHUT_RDWR);  // unblocks the sender if it still waits for the peer
    }
    sender.join();
    result.sent_all = sent_all;
    if (!send_problem.empty()) {
        result.problem += (result.problem.empty() ? "" : "; ") + send_problem;
    }
    return result;
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

std::string describe_exit(const std::optional<int>& status) {
    return status ? "exit status " + std::to_string(*status) : std::string("still running");
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
