// This file shows:
//  - a level-triggered epoll client whose unit of work is a frame: the whole masked frame is
//    written (EPOLLOUT only while some of it is pending), and the reply is compared byte for byte
//    with the frame the server must send back (header 0x82 + length, then the payload unmasked);
//  - the handshake done blocking before the clock starts: with RFC 6455's sample key the
//    Sec-WebSocket-Accept value is known, so no SHA-1 is needed here.

#include "ws_load.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
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

namespace netlab::bench {
namespace {

constexpr std::size_t kReadSize = 64 * 1024;
constexpr const char* kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr const char* kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

struct Connection {
    UniqueFd fd;
    std::uint64_t seed = 0;
    std::uint32_t mask_state = 0;  // xorshift: a new masking key per message
    std::vector<std::byte> frame;  // the masked frame being sent
    std::size_t frame_sent = 0;
    std::vector<std::byte> expect;  // the unmasked frame the server must echo
    std::size_t expect_got = 0;
    std::uint64_t payload_sent = 0;
    Clock::time_point started;
    Clock::time_point last_progress;
    bool in_flight = false;
};

std::size_t header_size(std::size_t length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
}

void put_header(std::vector<std::byte>& out, std::size_t length, bool masked) {
    out.push_back(std::byte{0x82});
    const auto mask_bit = static_cast<std::uint8_t>(masked ? 0x80 : 0x00);
    if (length < 126) {
        out.push_back(static_cast<std::byte>(mask_bit | length));
    } else if (length <= 0xFFFF) {
        out.push_back(static_cast<std::byte>(mask_bit | 126));
        out.push_back(static_cast<std::byte>(length >> 8));
        out.push_back(static_cast<std::byte>(length & 0xFF));
    } else {
        out.push_back(static_cast<std::byte>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.push_back(static_cast<std::byte>((static_cast<std::uint64_t>(length) >> shift) & 0xFF));
        }
    }
}

class WsLoad {
public:
    explicit WsLoad(const LoadOptions& options)
        : options_(options),
          pattern_(std::max(options.size, kReadSize)),
          epoll_(options.connections),
          read_buffer_(kReadSize) {}

    LoadReport run();

private:
    [[noreturn]] void fail(std::size_t index, const std::string& what) const {
        throw std::runtime_error("ws connection " + std::to_string(index) + " to " +
                                 format_host_port(options_.target) + ": " + what);
    }
    void open_all();
    void upgrade(std::size_t index);
    void watch(std::size_t index, bool output);
    void start_message(std::size_t index, Clock::time_point now);
    void write_some(std::size_t index);
    void read_some(std::size_t index);

    const LoadOptions& options_;
    BytePattern pattern_;
    EpollSet epoll_;
    std::vector<std::byte> read_buffer_;
    std::vector<Connection> connections_;
    Phase phase_ = Phase::warmup;
    LoadReport report_;
};

void WsLoad::upgrade(std::size_t index) {
    Connection& c = connections_[index];
    const std::string request =
        "GET /bench HTTP/1.1\r\nHost: " + format_host_port(options_.target) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + kSampleKey +
        "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (::send(c.fd.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        fail(index, "sending the upgrade request failed");
    }
    std::string reply;
    const auto deadline = Clock::now() + options_.stall_timeout;
    while (reply.find("\r\n\r\n") == std::string::npos) {  // byte by byte: never read past the head
        pollfd p{c.fd.get(), POLLIN, 0};
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
            fail(index, "no handshake reply in time");
        }
        char ch = 0;
        if (::recv(c.fd.get(), &ch, 1, 0) != 1 || reply.size() > 8192) {
            fail(index, "the handshake reply ended early or is too long");
        }
        reply += ch;
    }
    if (reply.rfind("HTTP/1.1 101", 0) != 0 || reply.find(kSampleAccept) == std::string::npos) {
        fail(index, "not a 101 with the right Sec-WebSocket-Accept: " + reply.substr(0, 120));
    }
}

void WsLoad::open_all() {
    const AddrInfoList addresses =
        resolve(options_.target.host, options_.target.port, SOCK_STREAM, Passive::no);
    const addrinfo& address = *addresses;
    ensure_descriptors(options_.connections);
    connections_.resize(options_.connections);
    for (std::size_t i = 0; i < connections_.size(); ++i) {
        Connection& c = connections_[i];
        c.fd.reset(check_syscall("socket", ::socket(address.ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)));
        if (::connect(c.fd.get(), address.ai_addr, address.ai_addrlen) < 0) {
            fail(i, std::string("connect: ") + std::strerror(errno));
        }
        const int on = 1;
        check_syscall("setsockopt", ::setsockopt(c.fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on));
        upgrade(i);
        check_syscall("fcntl", ::fcntl(c.fd.get(), F_SETFL, O_NONBLOCK));
        c.seed = (i * 7919) % BytePattern::kPeriod;
        c.mask_state = static_cast<std::uint32_t>(0x9E3779B9u ^ (i * 2654435761u)) | 1u;
        epoll_.add(c.fd.get(), i, EPOLLIN);
    }
}

void WsLoad::watch(std::size_t index, bool output) {
    epoll_.watch_output(connections_[index].fd.get(), index, output);
}

void WsLoad::start_message(std::size_t index, Clock::time_point now) {
    Connection& c = connections_[index];
    const std::size_t size = options_.size;
    const auto payload = pattern_.at(c.seed + c.payload_sent, size);
    c.mask_state ^= c.mask_state << 13;
    c.mask_state ^= c.mask_state >> 17;
    c.mask_state ^= c.mask_state << 5;
    std::byte key[4];
    std::memcpy(key, &c.mask_state, 4);
    c.frame.clear();
    put_header(c.frame, size, true);
    c.frame.insert(c.frame.end(), key, key + 4);
    for (std::size_t i = 0; i < size; ++i) {
        c.frame.push_back(payload[i] ^ key[i % 4]);
    }
    c.expect.clear();
    put_header(c.expect, size, false);
    c.expect.insert(c.expect.end(), payload.begin(), payload.end());
    c.frame_sent = 0;
    c.expect_got = 0;
    c.payload_sent += size;
    c.started = now;
    c.last_progress = now;
    c.in_flight = true;
    write_some(index);
}

void WsLoad::write_some(std::size_t index) {
    Connection& c = connections_[index];
    while (c.frame_sent < c.frame.size()) {
        const ssize_t put =
            ::send(c.fd.get(), c.frame.data() + c.frame_sent, c.frame.size() - c.frame_sent, MSG_NOSIGNAL);
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
        c.frame_sent += static_cast<std::size_t>(put);
    }
    watch(index, false);
}

void WsLoad::read_some(std::size_t index) {
    Connection& c = connections_[index];
    const ssize_t got = ::recv(c.fd.get(), read_buffer_.data(), read_buffer_.size(), 0);
    if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            return;
        }
        fail(index, std::string("recv: ") + std::strerror(errno));
    }
    if (got == 0) {
        fail(index, "the server closed the connection");
    }
    const auto count = static_cast<std::size_t>(got);
    if (!c.in_flight || count > c.expect.size() - c.expect_got) {
        fail(index, "the server sent more than the echo of our frame");
    }
    if (std::memcmp(read_buffer_.data(), c.expect.data() + c.expect_got, count) != 0) {
        fail(index, "the echoed frame differs from the expected one (header " +
                        std::to_string(header_size(options_.size)) + " bytes, then the payload)");
    }
    const auto now = Clock::now();
    c.expect_got += count;
    c.last_progress = now;
    report_.verified_bytes += count;
    if (c.expect_got == c.expect.size()) {
        c.in_flight = false;
        if (phase_ == Phase::measure) {
            report_.rtt.record(now - c.started);
            ++report_.messages;
        }
        if (phase_ != Phase::drain) {
            start_message(index, now);
        }
    }
}

LoadReport WsLoad::run() {
    open_all();
    auto now = Clock::now();
    for (std::size_t i = 0; i < connections_.size(); ++i) {
        start_message(i, now);
    }
    RunPhases phases(now, options_);
    for (;;) {
        now = Clock::now();
        if (phases.advance(now, report_)) {
            phase_ = phases.phase();
        }
        if (phase_ == Phase::drain && std::none_of(connections_.begin(), connections_.end(),
                                                   [](const Connection& c) { return c.in_flight; })) {
            break;
        }
        if (phases.stall_check_due(now)) {
            for (std::size_t i = 0; i < connections_.size(); ++i) {
                if (connections_[i].in_flight &&
                    now - connections_[i].last_progress > options_.stall_timeout) {
                    fail(i, "nothing echoed within the stall timeout: the server stopped answering");
                }
            }
        }
        for (const epoll_event& event : epoll_.wait(phases.wait_ms(now))) {
            const auto index = static_cast<std::size_t>(event.data.u64);
            if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
                read_some(index);
            }
            if ((event.events & EPOLLOUT) != 0 && epoll_.watching_output(index)) {
                write_some(index);
            }
        }
    }
    report_.mode = Mode::pingpong;
    report_.connections = options_.connections;
    report_.size = options_.size;
    report_.bytes = report_.messages * options_.size;
    return std::move(report_);
}

}  // namespace

LoadReport run_ws_load(const LoadOptions& options) {
    return WsLoad(options).run();
}

}  // namespace netlab::bench
