#include "lab01_helpers.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "common/check.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {

std::span<const std::byte> bytes_of(const std::string& text) {
    return std::as_bytes(std::span(text));
}

TcpPair make_tcp_pair(int family) {
    const UniqueFd listener = listen_loopback(family);
    TcpPair pair;
    pair.client = connect_to(loopback(family), bound_port(listener.get()));
    pair.server = accept_within(listener.get(), 5s);
    if (!pair.server) {
        throw std::runtime_error("the test's own listener accepted nothing within 5 s");
    }
    return pair;
}

UniqueFd bound_but_not_listening() {
    UniqueFd fd(check_syscall("socket", ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check_syscall("bind", ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address));
    return fd;
}

BackgroundTask::BackgroundTask(std::function<void()> body, std::function<void()> stop)
    : stop_(std::move(stop)) {
    thread_ = std::thread([this, body = std::move(body)] {
        std::string error;
        try {
            body();
        } catch (const std::exception& e) {
            error = e.what();
            if (error.empty()) {
                error = "an exception with an empty message";
            }
        } catch (...) {
            error = "an exception that is not a std::exception";
        }
        const std::lock_guard lock(mutex_);
        error_ = std::move(error);
        done_ = true;
        done_changed_.notify_all();
    });
}

BackgroundTask::~BackgroundTask() {
    if (!wait(0ms) && stop_) {
        stop_();
    }
    thread_.join();
}

bool BackgroundTask::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return done_changed_.wait_for(lock, timeout, [this] { return done_; });
}

std::string BackgroundTask::error() {
    const std::lock_guard lock(mutex_);
    return error_;
}

std::string ExchangeResult::summary(std::size_t expected_size) const {
    return "received " + std::to_string(received.size()) + " of " + std::to_string(expected_size) +
           " bytes, " + (eof ? "then EOF" : "no EOF") + (sent_all ? "" : ", NOT everything was sent") +
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
            if (!send_within(fd, payload.substr(offset, size),
                             std::chrono::milliseconds(millis_left(deadline)))) {
                send_problem =
                    "sending stopped at byte " + std::to_string(offset) + " (peer gone or deadline)";
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

std::vector<std::string> listen_args(const std::string& host, std::vector<std::string> extra) {
    const bool v6 = host.find(':') != std::string::npos;
    std::vector<std::string> args{"--listen", (v6 ? "[" + host + "]" : host) + ":0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

EchoServerProcess::EchoServerProcess(const std::vector<std::string>& args)
    : process("tcp_echo_server", args), endpoint(process.wait_listening()) {}

UniqueFd EchoServerProcess::connect() const {
    return connect_to(endpoint.host, endpoint.port);
}

namespace {

std::atomic<int> interruptions{0};

extern "C" void count_interruption(int) {
    interruptions.fetch_add(1);
}

}  // namespace

InterruptingSignal::InterruptingSignal() {
    struct sigaction action {};
    action.sa_handler = count_interruption;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR or a short count
    check_syscall("sigaction", ::sigaction(SIGUSR1, &action, nullptr));
}

InterruptingSignal::~InterruptingSignal() {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;  // a late SIGUSR1 must not kill the process
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGUSR1, &action, nullptr);
}

bool InterruptingSignal::interrupt(pthread_t thread) const {
    const int before = interruptions.load();
    if (::pthread_kill(thread, SIGUSR1) != 0) {
        return false;
    }
    return wait_until([&] { return interruptions.load() > before; }, 1000ms);
}

int InterruptingSignal::count() const {
    return interruptions.load();
}

std::string describe_exit(const std::optional<int>& status) {
    return status ? "exit status " + std::to_string(*status) : std::string("still running");
}

}  // namespace netlab::testing
