#include "lab04_helpers.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "03_encapsulation/framing/frame_codec.hpp"
#include "bytes.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing {

std::span<const std::byte> bytes_of(std::string_view text) {
    return std::as_bytes(std::span(text));
}

std::string text_of(std::span<const std::byte> bytes) {
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

long resident_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

int open_descriptors(pid_t pid) {
    DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (dir == nullptr) {
        return -1;
    }
    int count = 0;
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.') {
            ++count;
        }
    }
    ::closedir(dir);
    return count;
}

DescriptorLimit::DescriptorLimit(rlim_t soft) {
    check_syscall("getrlimit", ::getrlimit(RLIMIT_NOFILE, &saved_));
    rlimit wanted = saved_;
    wanted.rlim_cur = soft;
    check_syscall("setrlimit", ::setrlimit(RLIMIT_NOFILE, &wanted));
}

DescriptorLimit::~DescriptorLimit() {
    ::setrlimit(RLIMIT_NOFILE, &saved_);
}

rlim_t DescriptorLimit::hard() {
    rlimit limit{};
    check_syscall("getrlimit", ::getrlimit(RLIMIT_NOFILE, &limit));
    return limit.rlim_max;
}

UniqueFd connect_with_receive_buffer(const HostPort& server, int receive_bytes, int max_segment) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server.port);
    if (::inet_pton(AF_INET, server.host.c_str(), &address.sin_addr) != 1) {
        throw std::invalid_argument("not an IPv4 literal: " + server.host);
    }
    UniqueFd fd(check_syscall("socket", ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)));
    check_syscall("setsockopt SO_RCVBUF",
                  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_bytes, sizeof receive_bytes));
    if (max_segment > 0) {
        check_syscall("setsockopt TCP_MAXSEG",
                      ::setsockopt(fd.get(), IPPROTO_TCP, TCP_MAXSEG, &max_segment, sizeof max_segment));
    }
    check_syscall("connect",
                  ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address));
    return fd;
}

std::string round_trip(int fd, const std::string& text, std::chrono::milliseconds timeout) {
    if (!send_within(fd, text, timeout)) {
        return "could not send " + std::to_string(text.size()) + " bytes";
    }
    const auto reply = read_exactly(fd, text.size(), timeout);
    if (!reply) {
        return "sent " + std::to_string(text.size()) + " bytes, no full echo within " +
               std::to_string(timeout.count()) + " ms (EOF, reset or deadline)";
    }
    if (*reply != text) {
        return "the echo differs: " + describe_difference(text, *reply);
    }
    return "";
}

std::string send_until_stuck(int fd, std::size_t limit, std::chrono::milliseconds quiet, std::uint32_t seed) {
    // A block of prime length, repeated: cheap to make, and a shifted or reordered echo still differs.
    const std::string block = random_bytes(1024 * 1024 + 7, seed);
    std::string sent;
    while (sent.size() < limit) {
        pollfd entry{fd, POLLOUT, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(quiet.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0 || (entry.revents & POLLOUT) == 0) {
            break;  // unwritable for `quiet`: stuck (or the connection failed)
        }
        const std::size_t offset = sent.size() % block.size();
        const std::size_t size =
            std::min({std::size_t{64 * 1024}, block.size() - offset, limit - sent.size()});
        const ssize_t n = ::send(fd, block.data() + offset, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
        }
        if (n < 0) {
            break;
        }
        sent.append(block, offset, static_cast<std::size_t>(n));
    }
    return sent;
}

ChatPeer::ChatPeer(const HostPort& server, int receive_bytes, int max_segment)
    : socket_(receive_bytes > 0 ? connect_with_receive_buffer(server, receive_bytes, max_segment)
                                : connect_to(server.host, server.port)) {}

bool ChatPeer::send(const core::ChatMessage& message) {
    const auto frame = core::encode_frame(core::encode_chat(message), core::kMaxChatMessage);
    return send_raw(text_of(frame));
}

bool ChatPeer::send_raw(std::string_view bytes) {
    return send_within(socket_.get(), std::string(bytes), 10s);
}

std::string ChatPeer::join(const std::string& name) {
    if (!send({core::ChatType::join, name, ""})) {
        return "could not send the join of '" + name + "'";
    }
    const auto welcome = next();
    const core::ChatMessage expected{core::ChatType::join, name, ""};
    if (welcome != expected) {
        return "after joining as '" + name + "', expected the welcome '" + describe(expected) + "', got " +
               describe(welcome, *this);
    }
    return "";
}

std::optional<core::ChatMessage> ChatPeer::next(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const core::FrameResult frame = decoder_.pop();
        if (frame) {
            auto decoded = core::decode_chat(frame.payload);
            if (!decoded) {
                ended_ = "bad message: " + decoded.error;
                return std::nullopt;
            }
            return std::move(decoded.message);
        }
        if (decoder_.failed()) {
            ended_ = "bad frame";
            return std::nullopt;
        }
        if (!ended_.empty()) {
            return std::nullopt;
        }
        pollfd entry{socket_.get(), POLLIN, 0};
        const int ready = ::poll(&entry, 1, millis_left(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return std::nullopt;  // timeout: not an end, the caller may wait again
        }
        const std::span<std::byte> room = decoder_.writable();
        if (room.empty()) {  // the prefix just read announced a frame over the maximum
            ended_ = "bad frame";
            return std::nullopt;
        }
        const ssize_t got = ::recv(socket_.get(), room.data(), room.size(), MSG_DONTWAIT);
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
            continue;
        }
        if (got < 0) {
            ended_ = errno == ECONNRESET ? "reset" : std::string("recv: ") + std::strerror(errno);
        } else if (got == 0) {
            ended_ = "eof";
        } else {
            decoder_.commit(static_cast<std::size_t>(got));
        }
    }
}

bool ChatPeer::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (ended_.empty() && Clock::now() < deadline) {
        if (auto message = next(std::chrono::milliseconds(millis_left(deadline)))) {
            skipped_.push_back(std::move(*message));
        }
    }
    return ended_ == "eof" || ended_ == "reset";
}

core::ChatMessage join_of(const std::string& name) {
    return {core::ChatType::join, name, ""};
}

core::ChatMessage say_of(const std::string& name, const std::string& text) {
    return {core::ChatType::say, name, text};
}

core::ChatMessage leave_of(const std::string& name) {
    return {core::ChatType::leave, name, ""};
}

std::string frame_of(const std::string& payload) {
    return text_of(core::encode_frame(bytes_of(payload), core::kLargestEncodableFrame));
}

std::string frame_of(const core::ChatMessage& message) {
    return text_of(core::encode_frame(core::encode_chat(message), core::kMaxChatMessage));
}

::testing::AssertionResult next_is(ChatPeer& peer, const core::ChatMessage& expected,
                                   std::chrono::milliseconds timeout) {
    const auto got = peer.next(timeout);
    if (got == expected) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "expected '" << describe(expected) << "', got " << describe(got, peer);
}

::testing::AssertionResult refused(ChatPeer& peer, const std::string& reason_part) {
    const auto got = peer.next(10s);
    if (!got || got->type != core::ChatType::error) {
        return ::testing::AssertionFailure() << "expected an error message, got " << describe(got, peer);
    }
    if (got->text.find(reason_part) == std::string::npos) {
        return ::testing::AssertionFailure()
               << "the error '" << got->text << "' should mention '" << reason_part << "'";
    }
    if (!peer.wait_closed(10s)) {
        return ::testing::AssertionFailure()
               << "after the error the server should close the connection; " << describe(std::nullopt, peer)
               << " after " << peer.skipped().size() << " more messages";
    }
    return ::testing::AssertionSuccess();
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
    return "type " + std::to_string(static_cast<int>(message.type));
}

std::string describe(const std::optional<core::ChatMessage>& message, const ChatPeer& peer) {
    if (message) {
        return "'" + describe(*message) + "'";
    }
    return "nothing (" + (peer.ended().empty() ? std::string("timeout") : peer.ended()) + ")";
}

std::size_t times_logged(ServerProcess& server, std::string_view word) {
    const std::string log = server.log();
    std::size_t times = 0;
    for (std::size_t at = log.find(word); at != std::string::npos; at = log.find(word, at + 1)) {
        ++times;
    }
    return times;
}

}  // namespace netlab::testing
