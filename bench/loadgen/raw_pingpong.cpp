// This file shows:
//  - the floor a ping-pong over loopback TCP can reach: two processes, blocking send/recv,
//    no event loop at all (a forked child echoes, the parent times each round trip);
//  - the anchor for "same-core latency": run with --server-cpu 0 --client-cpu 0 and compare
//    an echo server's p50 (server and echo_load on the same core) with this one's;
//  - the same JSON line as echo_load (--json), every byte verified the same way.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <csignal>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "byte_pattern.hpp"
#include "common/check.hpp"
#include "common/cli.hpp"
#include "common/unique_fd.hpp"
#include "load_report.hpp"
#include "seconds_option.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace nb = netlab::bench;

/// Pins the calling process to the CPU given by option, if the option was given.
void pin(const netlab::CommandLine& args, const std::string& option) {
    if (args.has(option)) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(static_cast<std::size_t>(args.number(option, 0, CPU_SETSIZE - 1)), &set);
        netlab::check_syscall("sched_setaffinity", ::sched_setaffinity(0, sizeof set, &set));
    }
}

/// An IPv4 TCP socket with every blocking wait bounded (5 s) and Nagle off.
netlab::UniqueFd tcp_socket() {
    netlab::UniqueFd fd(netlab::check_syscall("socket", ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)));
    const int on = 1;
    const timeval timeout{5, 0};
    netlab::check_syscall("setsockopt", ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on));
    netlab::check_syscall("setsockopt",
                          ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout));
    netlab::check_syscall("setsockopt",
                          ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout));
    return fd;
}

/// The child: accept one client and echo with plain blocking calls until EOF. Never returns.
[[noreturn]] void echo_child(int listener, pid_t parent) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || ::getppid() != parent) {  // never outlive the parent
        ::_exit(1);
    }
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    std::vector<char> buffer(64 * 1024);
    ssize_t got = 0;
    while (fd >= 0 && (got = ::recv(fd, buffer.data(), buffer.size(), 0)) > 0) {
        for (ssize_t put = 0, done = 0; done < got; done += put) {
            put = ::send(fd, buffer.data() + done, static_cast<std::size_t>(got - done), MSG_NOSIGNAL);
            if (put <= 0) {
                ::_exit(1);
            }
        }
    }
    ::_exit(got == 0 ? 0 : 1);
}

/// Sends one message, reads its whole echo back (the socket's timeouts bound each wait), verifies it.
void round_trip(int fd, const nb::BytePattern& pattern, std::uint64_t offset,
                std::vector<std::byte>& buffer) {
    const auto message = pattern.at(offset, buffer.size());
    for (std::size_t done = 0; done < message.size();) {
        const ssize_t put = ::send(fd, message.data() + done, message.size() - done, MSG_NOSIGNAL);
        done += static_cast<std::size_t>(netlab::check_syscall("send", put));
    }
    for (std::size_t done = 0; done < buffer.size();) {
        const ssize_t got = ::recv(fd, buffer.data() + done, buffer.size() - done, 0);
        if (got <= 0) {
            throw std::runtime_error(got == 0 ? "the echo child closed the connection"
                                              : "recv: no echo in time");
        }
        done += static_cast<std::size_t>(got);
    }
    if (pattern.mismatch(offset, buffer)) {
        throw std::runtime_error("the echo child sent back a wrong byte");
    }
}

/// Round trips for warmup (not counted), then for measure (timed, one histogram sample each).
nb::LoadReport ping_pong(int fd, std::size_t size, std::chrono::nanoseconds warmup,
                         std::chrono::nanoseconds measure) {
    const nb::BytePattern pattern(size);
    std::vector<std::byte> buffer(size);
    nb::LoadReport report;
    report.connections = 1;
    report.size = size;
    std::uint64_t offset = 0;
    const auto start = Clock::now();
    for (auto now = start; now < start + warmup; now = Clock::now(), offset += size) {
        round_trip(fd, pattern, offset, buffer);
    }
    const nb::CpuTimes cpu_before = nb::process_cpu_times();
    const auto from = Clock::now();
    auto now = from;
    for (; now < from + measure; offset += size, ++report.messages) {
        const auto sent = now;
        round_trip(fd, pattern, offset, buffer);
        now = Clock::now();
        report.rtt.record(now - sent);
    }
    nb::set_cpu(report, cpu_before, nb::process_cpu_times());
    report.seconds = std::chrono::duration<double>(now - from).count();
    report.bytes = report.messages * size;
    report.verified_bytes = offset;
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "raw_pingpong",
        "Times a blocking ping-pong between two processes over loopback TCP (no event loop):\n"
        "the floor every echo server's latency is compared with.");
    cli.option("--size", "BYTES", "message size, 1-65536", "64")
        .option("--seconds", "S", "measured time, 0.1-3600", "5")
        .option("--warmup", "S", "time before measuring starts, 0-600", "0.5")
        .option("--server-cpu", "N", "pin the echoing child to CPU N")
        .option("--client-cpu", "N", "pin the timing parent to CPU N")
        .flag("--json", "print one JSON line instead of the summary");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const auto size = static_cast<std::size_t>(args.number("--size", 1, 65536));
        const auto measure = nb::seconds_option(args, "--seconds", 0.1, 3600);
        const auto warmup = nb::seconds_option(args, "--warmup", 0, 600);

        const netlab::UniqueFd listener = tcp_socket();
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        auto* any = reinterpret_cast<sockaddr*>(&address);
        netlab::check_syscall("bind", ::bind(listener.get(), any, length));
        netlab::check_syscall("listen", ::listen(listener.get(), 1));
        netlab::check_syscall("getsockname", ::getsockname(listener.get(), any, &length));

        const pid_t parent = ::getpid();
        const pid_t child = netlab::check_syscall("fork", ::fork());
        if (child == 0) {
            pin(args, "--server-cpu");
            echo_child(listener.get(), parent);
        }
        pin(args, "--client-cpu");
        netlab::UniqueFd fd = tcp_socket();
        netlab::check_syscall("connect", ::connect(fd.get(), any, length));
        const nb::LoadReport report = ping_pong(fd.get(), size, warmup, measure);
        fd.reset();  // EOF: the child's recv returns 0 and it exits 0
        int status = 0;
        netlab::check_syscall("waitpid", ::waitpid(child, &status, 0));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw std::runtime_error("the echo child failed");
        }
        std::cout << (args.has("--json") ? nb::to_json(report) + "\n"
                                         : "raw_pingpong: " + nb::to_text(report))
                  << std::flush;
        return 0;
    });
}
