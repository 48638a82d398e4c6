#include "lab07_helpers.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "deadline.hpp"
#include "test_socket.hpp"

extern char** environ;

namespace netlab::testing {

namespace {

std::vector<std::string> peer_args(const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

}  // namespace

LocalServer::LocalServer(const std::vector<std::string>& extra)
    : process_("netlab_http_peer", peer_args(extra)), endpoint_(process_.wait_listening()) {}

std::string LocalServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(endpoint_.port) + path;
}

std::uint16_t refused_port() {
    const UniqueFd listener = listen_loopback(AF_INET);
    return bound_port(listener.get());  // closed on return: nothing listens there any more
}

std::string ProgramRun::describe() const {
    return "exit status " + std::to_string(status) + ", stdout " + std::to_string(out.size()) +
           " bytes, stderr: '" + err.substr(0, 2000) + "'";
}

namespace {

std::string slurp(const std::string& path) {
    std::string content;
    read_file(path, content);
    return content;
}

}  // namespace

ProgramRun run_program(const std::string& program, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout) {
    const TempDir scratch;
    const std::string out_path = scratch.file("stdout");
    const std::string err_path = scratch.file("stderr");
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> words{program_path(program)};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, words.front().c_str(), &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::system_error(rc, std::system_category(), "posix_spawn " + words.front());
    }
    ProgramRun run;
    int status = 0;
    rusage usage{};
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) {
            break;
        }
        if (Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &usage);
            status = -1;
            break;
        }
        std::this_thread::sleep_for(kPollInterval);  // polling the exit; the deadline bounds the wait
    }
    if (status == -1) {
        run.status = -1;
    } else if (WIFEXITED(status)) {
        run.status = WEXITSTATUS(status);
    } else {
        run.status = 128 + WTERMSIG(status);
    }
    run.peak_rss_kib = usage.ru_maxrss;
    run.out = slurp(out_path);
    run.err = slurp(err_path);
    return run;
}

bool read_file(const std::string& path, std::string& content) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream all;
    all << in.rdbuf();
    content = all.str();
    return true;
}

bool file_exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

curl::Request get(const std::string& url) {
    curl::Request request;
    request.url = url;
    request.timeout = std::chrono::seconds(20);
    return request;
}

/// The counting pattern of the peer's /bytes/N: 16-byte records "000000000000016\n".
std::string counting_pattern(std::size_t size) {
    std::string text;
    for (std::size_t offset = 0; text.size() < size; offset += 16) {
        std::string record = std::to_string(offset);
        text += std::string(15 - record.size(), '0') + record + "\n";
    }
    text.resize(size);
    return text;
}

}  // namespace netlab::testing
