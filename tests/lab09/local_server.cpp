#include "local_server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <future>
#include <optional>
#include <stdexcept>
#include <utility>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "common/check.hpp"
#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing::lab09 {

namespace {

constexpr auto kCheckEvery = 2ms;  // how often the loop publishes its state and looks for a stop

}  // namespace

/// What the loop thread publishes and the test thread reads.
struct LocalServer::Shared {
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> connections{0};
    std::atomic<std::uint64_t> checks{0};
};

LocalServer::LocalServer(websocket::Handler& handler, websocket::ServerOptions options, int send_buffer)
    : shared_(std::make_shared<Shared>()) {
    auto listening = std::make_shared<std::promise<std::uint16_t>>();
    std::future<std::uint16_t> port = listening->get_future();
    loop_ = std::make_unique<BackgroundTask>(
        [shared = shared_, listening = std::move(listening), &handler, options, send_buffer] {
            libevent::EventBase base;
            websocket::WsServer server(base, HostPort{"127.0.0.1", 0}, options, handler);
            if (send_buffer > 0) {
                check_syscall("setsockopt SO_SNDBUF",
                              ::setsockopt(server.listener_fd(), SOL_SOCKET, SO_SNDBUF, &send_buffer,
                                           sizeof send_buffer));
            }
            std::optional<libevent::TimerEvent> check;
            check.emplace(base, [&] {
                shared->connections = server.connection_count();
                ++shared->checks;
                if (shared->stop) {
                    base.loopexit();
                } else {
                    check->start(kCheckEvery);
                }
            });
            check->start(std::chrono::milliseconds(0));
            listening->set_value(bound_port(server.listener_fd()));
            base.dispatch();  // rethrows what a callback threw: BackgroundTask keeps it for error()
        },
        [shared = shared_] { shared->stop = true; });
    const auto is_ready = [&] {
        return port.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready;
    };
    wait_until([&] { return is_ready() || loop_->wait(std::chrono::milliseconds(0)); }, 10s);
    if (!is_ready()) {
        throw std::runtime_error("the in-process server was not listening within 10 s: " + loop_->error());
    }
    port_ = port.get();
}

LocalServer::~LocalServer() {
    shared_->stop = true;
    loop_.reset();  // joins the loop thread; it stops at its next check
}

bool LocalServer::holds(std::size_t n, std::chrono::milliseconds timeout) {
    std::uint64_t last = shared_->checks.load();
    int in_a_row = 0;
    wait_until(
        [&] {
            if (loop_->wait(std::chrono::milliseconds(0))) {
                return true;  // the loop stopped: it holds nothing any more
            }
            const std::uint64_t checks = shared_->checks.load();
            if (checks != last) {
                last = checks;
                in_a_row = shared_->connections.load() == n ? in_a_row + 1 : 0;
            }
            return in_a_row >= 3;
        },
        timeout);
    return in_a_row >= 3 && !loop_->wait(std::chrono::milliseconds(0));
}

std::string LocalServer::error(std::chrono::milliseconds settle) {
    loop_->wait(settle);
    return loop_->error();
}

}  // namespace netlab::testing::lab09
