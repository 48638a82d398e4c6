// This lab shows:
//  - a second look after a failed handshake: paho reports "TCP connect completion failure" for a
//    server that closed, one that sent garbage and one that sent an empty CONNACK alike;
//  - a short CONNECT written by hand (MQTT 3.1.1, section 3.1), and its answer read with a deadline;
//  - peer bytes shown escaped (netlab::printable), never raw, in an error message.

#include "08_mqtt/connect_diagnosis.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "common/addrinfo.hpp"
#include "common/endpoint.hpp"
#include "common/peer_text.hpp"
#include "common/unique_fd.hpp"

namespace netlab::mqtt {
namespace {

using Clock = std::chrono::steady_clock;

/// CONNECT, MQTT 3.1.1, clean session, keep-alive 10 s, client id "netlab-probe".
constexpr char kConnect[] = "\x10\x18\x00\x04MQTT\x04\x02\x00\x0a\x00\x0cnetlab-probe";
constexpr std::size_t kConnectBytes = sizeof kConnect - 1;

int millis_left(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd entry{fd, events, 0};
    return ::poll(&entry, 1, millis_left(deadline)) == 1;
}

/// A connected socket to endpoint within the deadline, or the reason there is none.
UniqueFd connect_within(const HostPort& endpoint, Clock::time_point deadline, std::string& why) {
    why = "no address";
    const AddrInfoList addresses = resolve(endpoint.host, endpoint.port, SOCK_STREAM, Passive::no);
    for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
        UniqueFd fd(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol));
        if (!fd) {
            why = std::string("socket: ") + std::strerror(errno);
            continue;
        }
        if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            why = std::string("connect: ") + std::strerror(errno);
            continue;
        }
        if (!wait_for(fd.get(), POLLOUT, deadline)) {
            why = "connect: no answer in time";
            continue;
        }
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error == 0) {
            return fd;
        }
        why = std::string("connect: ") + std::strerror(error);
    }
    return UniqueFd();
}

}  // namespace

ConnackCheck check_connack_reply(std::string_view reply, bool closed) noexcept {
    if (reply.empty()) {
        return closed ? ConnackCheck::closed_before_reply : ConnackCheck::need_more;
    }
    if (static_cast<unsigned char>(reply[0]) != 0x20) {
        return ConnackCheck::not_connack;
    }
    if (reply.size() < 2) {
        return closed ? ConnackCheck::short_connack : ConnackCheck::need_more;
    }
    // The remaining length of a CONNACK is 2 in 3.1.1 and at least 3 in MQTT 5; 0 or 1 hold no fields.
    return static_cast<unsigned char>(reply[1]) >= 2 ? ConnackCheck::connack : ConnackCheck::short_connack;
}

std::string diagnose_connect(const std::string& uri, std::chrono::milliseconds timeout) {
    const auto scheme = uri.find("://");
    const auto endpoint = parse_host_port(scheme == std::string::npos ? uri : uri.substr(scheme + 3));
    if (!endpoint) {
        return "'" + printable(uri) + "' is not tcp://HOST:PORT";
    }
    const std::string where = "the broker at " + format_host_port(*endpoint);
    try {
        const auto deadline = Clock::now() + timeout;
        std::string why;
        const UniqueFd fd = connect_within(*endpoint, deadline, why);
        if (!fd) {
            return "no TCP connection to " + format_host_port(*endpoint) + " (" + why + ")";
        }
        if (::send(fd.get(), kConnect, kConnectBytes, MSG_NOSIGNAL) != static_cast<ssize_t>(kConnectBytes)) {
            return where + " closed the connection before CONNECT was sent";
        }
        std::string reply;
        bool closed = false;
        ConnackCheck check = ConnackCheck::need_more;
        while (check == ConnackCheck::need_more && wait_for(fd.get(), POLLIN, deadline)) {
            char buffer[64];
            const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
            closed = n <= 0;
            if (n > 0) {
                reply.append(buffer, static_cast<std::size_t>(n));
            }
            check = check_connack_reply(reply, closed);
        }
        switch (check) {
            case ConnackCheck::connack:
                return where + " answers with a CONNACK now; the failure was passing";
            case ConnackCheck::closed_before_reply:
                return where + " closed the connection before CONNACK";
            case ConnackCheck::not_connack:
                return where + " sent something that is not an MQTT CONNACK: '" +
                       printable(reply.substr(0, 32)) + "'";
            case ConnackCheck::short_connack:
                return where + " sent a CONNACK too short to be one (remaining length " +
                       (reply.size() < 2 ? std::string("missing")
                                         : std::to_string(static_cast<unsigned char>(reply[1]))) +
                       "; MQTT 3.1.1 needs 2)";
            case ConnackCheck::need_more:
                break;
        }
        return where + " accepted the TCP connection but sent no CONNACK within " +
               std::to_string(timeout.count()) + " ms";
    } catch (const std::exception& e) {
        return where + ": " + e.what();
    }
}

}  // namespace netlab::mqtt
