#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "common/check.hpp"

extern char** environ;

namespace netlab::testing {

std::string program_path(const std::string& name) {
    return name.starts_with('/') ? name : std::string(NETLAB_BIN_DIR) + "/" + name;
}

namespace {

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

Pipe make_pipe() {
    int fds[2];
    check_syscall("pipe2", ::pipe2(fds, O_CLOEXEC));
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args) {
    Pipe in = make_pipe();
    Pipe out = make_pipe();
    Pipe err = make_pipe();
    Pipe wake = make_pipe();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    const std::string path = program_path(program);
    std::vector<std::string> words{path};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        throw std::system_error(rc, std::system_category(), "posix_spawn " + path);
    }
    stdin_ = std::move(in.write);
    stdout_ = std::move(out.read);
    stderr_ = std::move(err.read);
    wake_ = std::move(wake.write);
    wake_read_ = std::move(wake.read);
    pump_ = std::thread([this] { pump(); });
}

ChildProcess::~ChildProcess() {
    if (!status_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    const char byte = 1;
    [[maybe_unused]] auto written = ::write(wake_.get(), &byte, 1);
    pump_.join();
}

void ChildProcess::pump() {
    char buffer[65536];
    for (;;) {
        pollfd fds[3] = {
            {stdout_.get(), POLLIN, 0}, {stderr_.get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
        {
            std::lock_guard lock(mutex_);
            if (out_closed_)
                fds[0].fd = -1;
            if (err_closed_)
                fds[1].fd = -1;
        }
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[2].revents != 0) {
            return;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0)
                continue;
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            std::lock_guard lock(mutex_);
            if (n <= 0) {
                (i == 0 ? out_closed_ : err_closed_) = true;
            } else {
                (i == 0 ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
            }
            changed_.notify_all();
        }
    }
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::size_t newline = std::string::npos;
    const bool ready = changed_.wait_for(lock, timeout, [&] {
        newline = out_.find('\n');
        return newline != std::string::npos || out_closed_;
    });
    if (!ready || newline == std::string::npos) {
        return std::nullopt;
    }
    std::string line = out_.substr(0, newline);
    out_.erase(0, newline + 1);
    return line;
}

HostPort ChildProcess::wait_listening(std::chrono::milliseconds timeout) {
    const auto line = read_line(timeout);
    const std::string prefix = "listening on ";
    if (line && line->starts_with(prefix)) {
        if (auto endpoint = parse_host_port(line->substr(prefix.size()))) {
            return *endpoint;
        }
    }
    // Say whether the program died or is still silent, with everything it printed. A program that
    // closed stdout has usually exited: wait (bounded) for it, so stderr holds its last words.
    bool stdout_closed = false;
    {
        std::lock_guard lock(mutex_);
        stdout_closed = out_closed_;
    }
    const auto status =
        wait_exit(stdout_closed || line ? std::chrono::milliseconds(2000) : std::chrono::milliseconds(0));
    std::string what;
    if (line) {
        what = "its first stdout line was '" + *line + "'";
    } else if (status) {
        what = "it exited (" + describe_exit(status) + ") without printing it";
    } else {
        what = "it printed nothing on stdout within " + std::to_string(timeout.count()) + " ms";
    }
    std::string stdout_text;
    {
        std::lock_guard lock(mutex_);
        stdout_text = out_;
    }
    throw std::runtime_error("expected the first stdout line 'listening on HOST:PORT'; " + what +
                             "\nstdout: " + stdout_text + "\nstderr: " + stderr_text());
}

std::optional<std::string> ChildProcess::read_all_stdout(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return out_closed_; })) {
        return std::nullopt;
    }
    return std::exchange(out_, {});
}

std::string ChildProcess::stderr_text() {
    std::lock_guard lock(mutex_);
    return err_;
}

void ChildProcess::write_stdin(const std::string& data) {
    // A child that already exited makes write() fail with EPIPE and raise SIGPIPE, whose default
    // action (kept on purpose in test processes) would kill the test without a message. Block it
    // in this thread meanwhile, swallow the one raised, and throw instead.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    std::size_t sent = 0;
    int error = 0;
    while (sent < data.size() && error == 0) {
        const ssize_t n = ::write(stdin_.get(), data.data() + sent, data.size() - sent);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
        } else if (errno != EINTR) {
            error = errno;
        }
    }
    if (error == EPIPE) {
        const timespec no_wait{};
        ::sigtimedwait(&pipe_signal, nullptr, &no_wait);
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (error != 0) {
        throw std::system_error(error, std::system_category(), "write to the child's stdin");
    }
}

void ChildProcess::close_stdin() {
    stdin_.reset();
}

void ChildProcess::send_signal(int signal_number) {
    check_syscall("kill", ::kill(pid_, signal_number));
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    if (status_) {
        return status_;
    }
    // A pidfd becomes readable when the process exits: wait on it with poll's timeout.
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    if (pidfd) {
        pollfd entry{pidfd.get(), POLLIN, 0};
        const auto millis = std::min<std::chrono::milliseconds::rep>(timeout.count(), 1 << 30);
        int rc = 0;
        do {
            rc = ::poll(&entry, 1, static_cast<int>(millis));
        } while (rc < 0 && errno == EINTR);
        if (rc <= 0) {
            return std::nullopt;
        }
    }
    int status = 0;
    const pid_t rc = ::waitpid(pid_, &status, pidfd ? 0 : WNOHANG);
    if (rc != pid_) {
        return std::nullopt;
    }
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    // The child's ends of the pipes closed when it exited: let the pump read the rest, so that
    // stderr_text() after wait_exit() holds everything (bounded, in case a grandchild holds them).
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(2), [&] { return out_closed_ && err_closed_; });
    return status_;
}

std::string describe_exit(const std::optional<int>& status) {
    return status ? "exit status " + std::to_string(*status) : std::string("still running");
}

}  // namespace netlab::testing
