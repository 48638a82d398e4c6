#include "stream_probes.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "test_socket.hpp"

namespace netlab::testing {

using namespace std::chrono_literals;

std::string round_trip(int fd, const std::string& text) {
    if (!send_within(fd, text, 10s)) {
        return "could not send '" + text + "' within 10 s";
    }
    const auto echoed = read_exactly(fd, text.size(), 10s);
    if (!echoed) {
        return "no echo of '" + text + "' within 10 s (EOF, error or timeout)";
    }
    return *echoed == text ? "" : "the echo was '" + *echoed + "', expected '" + text + "'";
}

PushResult push_without_reading(int fd, std::size_t limit, std::chrono::milliseconds stall_window) {
    PushResult result;
    const std::string block(64 * 1024, 'p');
    while (result.sent < limit) {
        pollfd entry{fd, POLLOUT, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(stall_window.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            result.stalled = true;  // the window passed without room for a single byte
            return result;
        }
        const std::size_t size = std::min(block.size(), limit - result.sent);
        const ssize_t n = ::send(fd, block.data(), size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n < 0) {
            result.problem = std::string("send: ") + std::strerror(errno);
            return result;
        }
        result.sent += static_cast<std::size_t>(n);
    }
    return result;
}

}  // namespace netlab::testing
