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

}  // namespace netlab::testing
