#include "exchange.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <thread>

#include "deadline.hpp"

namespace netlab::testing {

std::string ExchangeResult::summary(std::size_t expected) const {
    return "received " + std::to_string(received.size()) + " of " + std::to_string(expected) + " bytes, " +
           (eof ? "then EOF" : "no EOF") + (sent_all ? "" : ", NOT everything was sent") +
           (problem.empty() ? "" : "; " + problem);
}

ExchangeResult exchange(int fd, const std::string& payload, const ExchangeOptions& options) {
    const auto deadline = Clock::now() + options.timeout;
    ExchangeResult result;
    std::atomic<bool> sent_all{false};
    std::atomic<bool> sender_done{false};
    std::atomic<std::uint64_t> stalls{0};  // how often the sender's 20 ms poll deadline ran out
    std::string send_problem;
    std::thread sender([&] {
        std::size_t offset = 0;
        std::size_t turn = 0;
        while (offset < payload.size() && send_problem.empty()) {
            pollfd entry{fd, POLLOUT, 0};
            const int ready = ::poll(&entry, 1, std::min(20, millis_left(deadline)));
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready == 0) {
                ++stalls;
                if (Clock::now() >= deadline) {
                    send_problem = "sending stopped at byte " + std::to_string(offset) + ": deadline";
                }
                continue;
            }
            const std::size_t size =
                std::min(options.send_sizes[turn++ % options.send_sizes.size()], payload.size() - offset);
            const ssize_t n = ::send(fd, payload.data() + offset, size, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                continue;
            }
            if (n < 0) {
                send_problem = "send at byte " + std::to_string(offset) + ": " + std::strerror(errno);
            } else {
                offset += static_cast<std::size_t>(n);
            }
        }
        if (send_problem.empty()) {
            if (::shutdown(fd, SHUT_WR) == 0) {
                sent_all = true;
            } else {
                send_problem = std::string("shutdown(SHUT_WR): ") + std::strerror(errno);
            }
        }
        sender_done = true;
    });

    std::vector<char> buffer(*std::max_element(options.read_sizes.begin(), options.read_sizes.end()));
    std::size_t turn = 0;
    std::size_t next_pause = options.pause_every;
    for (;;) {
        if (options.pause_every != 0 && result.received.size() >= next_pause) {
            next_pause += options.pause_every;
            const std::uint64_t seen = stalls.load();
            // Stop reading until the backlog has reached the sender (its poll deadline ran out).
            if (!wait_until([&] { return stalls.load() > seen || sender_done.load(); },
                            std::chrono::milliseconds(millis_left(deadline)))) {
                result.problem = "the sender never got stuck while the reader paused";
                break;
            }
        }
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
        ::shutdown(fd, SHUT_RDWR);  // unblocks the sender if it still waits
    }
    sender.join();
    result.sent_all = sent_all;
    if (!send_problem.empty()) {
        result.problem += (result.problem.empty() ? "" : "; ") + send_problem;
    }
    return result;
}

}  // namespace netlab::testing
