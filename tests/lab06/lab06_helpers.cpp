#include "lab06_helpers.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "03_encapsulation/framing/frame_codec.hpp"
#include "child_process.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

extern char** environ;

namespace netlab::testing {

std::string chat_frame(const core::ChatMessage& message) {
    const std::vector<std::byte> frame =
        core::encode_frame(core::encode_chat(message), core::kMaxChatMessage);
    return {reinterpret_cast<const char*>(frame.data()), frame.size()};
}

RawChatClient::RawChatClient(const std::string& host, std::uint16_t port) : fd_(connect_to(host, port)) {}

RawChatClient::RawChatClient(UniqueFd connected) : fd_(std::move(connected)) {}

bool RawChatClient::send(const core::ChatMessage& message) {
    return send_within(fd_.get(), chat_frame(message), 10s);
}

std::optional<core::ChatMessage> RawChatClient::next(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const core::FrameResult frame = decoder_.pop();
        if (frame) {
            const core::ChatDecodeResult decoded = core::decode_chat(frame.payload);
            if (!decoded) {
                problem_ = "bad chat message: " + decoded.error;
                return std::nullopt;
            }
            return decoded.message;
        }
        if (decoder_.failed()) {
            problem_ = "a frame over the chat maximum";
            return std::nullopt;
        }
        pollfd entry{fd_.get(), POLLIN, 0};
        const int ready = ::poll(&entry, 1, millis_left(deadline));
        if (ready == 0) {
            problem_ = "no message within " + std::to_string(timeout.count()) + " ms";
            return std::nullopt;
        }
        if (ready < 0) {
            continue;  // EINTR
        }
        const std::span<std::byte> room = decoder_.writable();
        const ssize_t n = ::recv(fd_.get(), room.data(), room.size(), 0);
        if (n <= 0) {
            problem_ = n == 0 ? "EOF" : std::string("recv: ") + std::strerror(errno);
            return std::nullopt;
        }
        decoder_.commit(static_cast<std::size_t>(n));
    }
}

std::string describe(const core::ChatMessage& message) {
    switch (message.type) {
        case core::ChatType::join:
            return "join " + message.name;
        case core::ChatType::say:
            return "say " + message.name + ": " + message.text;
        case core::ChatType::leave:
            return "leave " + message.name;
        case core::ChatType::error:
            return "error: " + message.text;
    }
    return "unknown type";
}

MeasuredRun run_measured(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdout_path, std::chrono::milliseconds timeout,
                         const std::vector<std::string>& extra_env) {
    const std::string err_path = stdout_path + ".stderr";
    std::vector<std::string> argv_text{program_path(program)};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_text)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char** entry = environ; *entry != nullptr; ++entry)
        env_text.emplace_back(*entry);
    env_text.insert(env_text.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> env;
    for (std::string& entry : env_text)
        env.push_back(entry.data());
    env.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::system_error(rc, std::system_category(), "posix_spawn " + program);
    }
    MeasuredRun run;
    int status = 0;
    rusage usage{};
    const bool exited = wait_until([&] { return ::wait4(pid, &status, WNOHANG, &usage) == pid; }, timeout);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::wait4(pid, &status, 0, &usage);
    } else {
        run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    run.max_rss_kib = usage.ru_maxrss;
    std::ifstream err(err_path);
    std::ostringstream text;
    text << err.rdbuf();
    run.err = text.str();
    return run;
}

}  // namespace netlab::testing
