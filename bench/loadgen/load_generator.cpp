#include "load_generator.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "byte_pattern.hpp"
#include "common/addrinfo.hpp"
#include "common/check.hpp"
#include "common/unique_fd.hpp"
#include "descriptor_limit.hpp"
#include "epoll_set.hpp"
#include "run_phases.hpp"
#include "ws_load.hpp"

namespace netlab::bench {

namespace {

/// Bytes one recv() may return; also the longest span checked against the pattern at once.
constexpr std::size_t kReadSize = 64 * 1024;

struct Connection {
    UniqueFd fd;
    std::uint64_t seed = 0;           // where in the pattern this connection's stream starts
    std::uint64_t sent = 0;           // stream bytes written so far
    std::uint64_t received = 0;       // stream bytes echoed back and verified so far
    std::uint64_t goal = 0;           // pingpong: `sent` once the current message is fully written
    Clock::time_point started;        // pingpong: when the current message was started
    Clock::time_point last_progress;  // the last echoed bytes (or the start of the current message)
};

class LoadGenerator {
public:
    explicit LoadGenerator(const LoadOptions& options)
        : options_(options),
          pattern_(std::max(options.size, kReadSize)),
          epoll_(options.connections),
          read_buffer_(kReadSize) {}

    LoadReport run();

private:
    [[noreturn]] void fail(std::size_t index, const std::string& what) const;
    void connect_all();
    void watch(std::size_t index, bool output);
    void start_message(std::size_t index, Clock::time_point now);
    void write_some(std::size_t index);
    [[nodiscard]] bool read_some(std::size_t index);
    void check_stalls(Clock::time_point now) const;
    [[nodiscard]] bool drained() const;

    const LoadOptions& options_;
    BytePattern pattern_;
    EpollSet epoll_;
    std::vector<std::byte> read_buffer_;
    std::vector<Connection> connections_;
    Phase phase_ = Phase::warmup;
    LoadReport report_;
};

void LoadGenerator::fail(std::size_t index, const std::string& what) const {
    const Connection& c = connections_[index];
    throw std::runtime_error(
        "connection " + std::to_string(index) + " to " + format_host_port(options_.target) + ": " + what +
        " (sent " + std::to_string(c.sent) + " bytes, " + std::to_string(c.received) + " echoed back)");
}

void LoadGenerator::connect_all() {
    const AddrInfoList addresses =
        resolve(options_.target.host, options_.target.port, SOCK_STREAM, Passive::no);
    const addrinfo& address = *addresses;
    connections_.resize(options_.connections);
    for (std::size_t i = 0; i < connections_.size(); ++i) {
        Connection& c = connections_[i];
        c.fd.reset(check_syscall("socket",
                                 ::socket(address.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)));
        if (options_.mode == Mode::pingpong) {  // bulk keeps Nagle: full segments, like iperf3
            const int on = 1;
            check_syscall("setsockopt", ::setsockopt(c.fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on));
        }
        if (::connect(c.fd.get(), address.ai_addr, address.ai_addrlen) < 0 && errno != EINPROGRESS) {
            fail(i, std::string("connect: ") + std::strerror(errno));
        }
        c.seed = (i * 7919) % BytePattern::kPeriod;
        epoll_.add(c.fd.get(), i, EPOLLOUT);
    }
    const auto deadline = Clock::now() + options_.stall_timeout;
    std::size_t pending = connections_.size();
    while (pending > 0) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            throw std::runtime_error("connect to " + format_host_port(options_.target) + ": only " +
                                     std::to_string(connections_.size() - pending) + " of " +
                                     std::to_string(connections_.size()) +
                                     " connections established in time");
        }
        for (const epoll_event& event : epoll_.wait(static_cast<int>(left))) {
            const auto index = static_cast<std::size_t>(event.data.u64);
            int error = 0;
            socklen_t length = sizeof error;
            check_syscall("getsockopt",
                          ::getsockopt(connections_[index].fd.get(), SOL_SOCKET, SO_ERROR, &error, &length));
            if (error != 0) {
                fail(index, std::string("connect: ") + std::strerror(error));
            }
            watch(index, false);
            --pending;
        }
    }
}

void LoadGenerator::watch(std::size_t index, bool output) {
    epoll_.watch_output(connections_[index].fd.get(), index, output);
}

void LoadGenerator::start_message(std::size_t index, Clock::time_point now) {
    Connection& c = connections_[index];
    c.goal = c.sent + options_.size;
    c.started = now;
    c.last_progress = now;
    write_some(index);
}

void LoadGenerator::write_some(std::size_t index) {
    Connection& c = connections_[index];
    const bool bulk = options_.mode == Mode::bulk;
    if (bulk && phase_ == Phase::drain) {
        watch(index, false);
        return;
    }
    // pingpong: finish the current message. bulk: a few size-byte writes, then let others run.
    for (int writes = 0; bulk ? writes < 4 : c.sent < c.goal; ++writes) {
        const std::size_t length = bulk ? options_.size - static_cast<std::size_t>(c.sent % options_.size)
                                        : static_cast<std::size_t>(c.goal - c.sent);
        const auto bytes = pattern_.at(c.seed + c.sent, length);
        const ssize_t put = ::send(c.fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (put < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch(index, true);
                return;
            }
            fail(index, std::string("send: ") + std::strerror(errno));
        }
        c.sent += static_cast<std::uint64_t>(put);
        if (bulk && static_cast<std::size_t>(put) < length) {
            break;  // the socket buffer is full; EPOLLOUT says when it has room again
        }
    }
    watch(index, bulk);
}

/// Reads once; true when the read filled the whole buffer (more is probably waiting).
bool LoadGenerator::read_some(std::size_t index) {
    Connection& c = connections_[index];
    const ssize_t got = ::recv(c.fd.get(), read_buffer_.data(), read_buffer_.size(), 0);
    if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            return false;
        }
        fail(index, std::string("recv: ") + std::strerror(errno));
    }
    if (got == 0) {
        fail(index, "the server closed the connection");
    }
    const auto count = static_cast<std::size_t>(got);
    if (count > c.sent - c.received) {
        fail(index, "the server sent " + std::to_string(count - (c.sent - c.received)) +
                        " bytes more than it was sent");
    }
    const std::span<const std::byte> bytes(read_buffer_.data(), count);
    if (const auto wrong = pattern_.mismatch(c.seed + c.received, bytes)) {
        char what[160];
        std::snprintf(what, sizeof what, "echoed byte at stream offset %llu is 0x%02x, expected 0x%02x",
                      static_cast<unsigned long long>(c.received + *wrong),
                      std::to_integer<unsigned>(bytes[*wrong]),
                      std::to_integer<unsigned>(pattern_.at(c.seed + c.received + *wrong, 1)[0]));
        fail(index, what);
    }
    const auto now = Clock::now();
    c.received += count;
    c.last_progress = now;
    report_.verified_bytes += count;
    if (options_.mode == Mode::bulk) {
        if (phase_ == Phase::measure) {
            report_.bytes += count;
        }
    } else if (c.received == c.goal) {
        if (phase_ == Phase::measure) {
            report_.rtt.record(now - c.started);
            ++report_.messages;
        }
        if (phase_ != Phase::drain) {
            start_message(index, now);
        }
    }
    return count == read_buffer_.size();
}

void LoadGenerator::check_stalls(Clock::time_point now) const {
    for (std::size_t i = 0; i < connections_.size(); ++i) {
        const Connection& c = connections_[i];
        const bool owed = c.received < c.sent || c.sent < c.goal;
        if (owed && now - c.last_progress > options_.stall_timeout) {
            char what[96];
            std::snprintf(what, sizeof what, "nothing echoed for %.1f s: the server stopped answering",
                          std::chrono::duration<double>(options_.stall_timeout).count());
            fail(i, what);
        }
    }
}

bool LoadGenerator::drained() const {
    for (const Connection& c : connections_) {
        if (c.received < c.sent || c.sent < c.goal) {
            return false;
        }
    }
    return true;
}

LoadReport LoadGenerator::run() {
    ensure_descriptors(options_.connections);
    connect_all();
    auto now = Clock::now();
    for (std::size_t i = 0; i < connections_.size(); ++i) {
        connections_[i].last_progress = now;
        if (options_.mode == Mode::pingpong) {
            start_message(i, now);
        } else {
            write_some(i);
        }
    }
    RunPhases phases(now, options_);
    for (;;) {
        now = Clock::now();
        if (phases.advance(now, report_)) {
            phase_ = phases.phase();
            if (phase_ == Phase::drain) {
                for (std::size_t i = 0; i < connections_.size(); ++i) {
                    write_some(i);  // bulk: stop writing; pingpong: nothing new starts from here on
                }
            }
        }
        if (phase_ == Phase::drain && drained()) {
            break;
        }
        if (phases.stall_check_due(now)) {
            check_stalls(now);
        }
        for (const epoll_event& event : epoll_.wait(phases.wait_ms(now))) {
            const auto index = static_cast<std::size_t>(event.data.u64);
            if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
                // A full buffer means more is probably waiting: read again, at most 4 times in all.
                for (int reads = 1; read_some(index) && reads < 4; ++reads) {
                }
            }
            if ((event.events & EPOLLOUT) != 0 && epoll_.watching_output(index)) {
                write_some(index);
            }
        }
    }
    report_.mode = options_.mode;
    report_.connections = options_.connections;
    report_.size = options_.size;
    if (options_.mode == Mode::bulk) {
        report_.messages = report_.bytes / options_.size;
    } else {
        report_.bytes = report_.messages * options_.size;
    }
    return std::move(report_);
}

}  // namespace

LoadReport run_load(const LoadOptions& options) {
    if (options.protocol == Protocol::websocket) {
        return run_ws_load(options);
    }
    return LoadGenerator(options).run();
}

}  // namespace netlab::bench
