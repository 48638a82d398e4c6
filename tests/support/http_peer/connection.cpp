// This file shows:
//  - the request loop of a keep-alive connection: bytes left over after one request are the
//    start of the next, so the buffer is consumed, never cleared;
//  - "Expect: 100-continue" answered before the body is read, as a client waiting for it expects;
//  - a peer-supplied request line logged only through netlab::printable().

#include "connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>

#include "common/log.hpp"
#include "common/peer_text.hpp"
#include "routes.hpp"

namespace netlab::http_peer {
namespace {

constexpr std::chrono::seconds kLinger{2};            // how long a refused client may go on sending
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;  // and how much of it we read and drop

}  // namespace

Connection::Connection(int fd, const TlsContext* tls, std::chrono::seconds idle, HeadLimits limits)
    : stream_(fd, tls), limits_(limits) {
    const timeval limit{static_cast<time_t>(idle.count()), 0};  // a stalled client cannot hold us forever
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

void Connection::run() {
    if (const std::string why = stream_.handshake(); !why.empty()) {
        netlab::log::line("TLS handshake failed: " + why);
        return;
    }
    for (std::size_t served = 0;; ++served) {
        HeadParse parse = parse_request_head(buffer_, limits_);
        while (parse.status == ParseStatus::need_more) {
            if (!read_more()) {  // the client left (or stalled) between requests: the normal end
                if (served == 0 && buffer_.empty()) {
                    netlab::log::line("connection closed before any request");
                }
                return;
            }
            parse = parse_request_head(buffer_, limits_);
        }
        if (parse.status == ParseStatus::error) {
            netlab::log::line("refused with " + std::to_string(parse.error_status) + ": " + parse.error);
            send_text(*this, ReplyMode{false, true}, parse.error_status, parse.error + "\n");
            linger();
            return;
        }
        const RequestHead& head = parse.head;
        netlab::log::line(netlab::printable(head.method + " " + head.target));
        const std::size_t total = parse.size + static_cast<std::size_t>(head.content_length);
        if (head.expects_continue && buffer_.size() < total && !send("HTTP/1.1 100 Continue\r\n\r\n")) {
            return;
        }
        while (buffer_.size() < total) {
            if (!read_more()) {
                return;
            }
        }
        const std::string_view all(buffer_);
        const Request request{head, all.substr(0, total), all.substr(parse.size, total - parse.size)};
        if (answer(request, *this) == AfterReply::close) {
            break;
        }
        buffer_.erase(0, total);
    }
    stream_.close_notify();
}

bool Connection::send(std::string_view bytes) {
    return stream_.write(bytes);
}

bool Connection::pause(std::chrono::milliseconds duration) {
    // POLLRDHUP only: a client that sends more (its next request) does not cut the pause short,
    // one that hangs up does, and so does the server shutting this socket down.
    const auto deadline = std::chrono::steady_clock::now() + duration;
    pollfd watch{stream_.get(), POLLRDHUP, 0};
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const int ready = ::poll(&watch, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        if (ready == 0) {
            return true;
        }
        if (ready > 0 || errno != EINTR) {
            return false;
        }
    }
}

void Connection::linger() {
    // Closing with unread bytes in the socket sends a reset, which can destroy the reply before
    // the client reads it. So: FIN first, then read and drop what the client still sends, briefly.
    ::shutdown(stream_.get(), SHUT_WR);
    const auto deadline = std::chrono::steady_clock::now() + kLinger;
    std::array<char, 16 * 1024> sink{};
    for (std::size_t dropped = 0; dropped < kMaxLingerBytes;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd watch{stream_.get(), POLLIN, 0};
        if (left.count() <= 0 || ::poll(&watch, 1, static_cast<int>(left.count())) <= 0) {
            return;
        }
        const ssize_t n = ::recv(stream_.get(), sink.data(), sink.size(), 0);
        if (n <= 0) {
            return;
        }
        dropped += static_cast<std::size_t>(n);
    }
}

bool Connection::read_more() {
    std::array<char, 16 * 1024> chunk{};
    const std::size_t n = stream_.read(chunk.data(), chunk.size());
    buffer_.append(chunk.data(), n);
    return n > 0;
}

}  // namespace netlab::http_peer
