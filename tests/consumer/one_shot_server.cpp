#include "one_shot_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace netlab::consumer {

void set_receive_timeout(int fd, std::chrono::milliseconds timeout) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    timeval value{};
    value.tv_sec = static_cast<time_t>(seconds.count());
    value.tv_usec = static_cast<suseconds_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds).count());
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value) != 0) {
        throw std::system_error(errno, std::system_category(), "setsockopt SO_RCVTIMEO");
    }
}

OneShotServer::OneShotServer(std::chrono::milliseconds deadline, Handler handle)
    : listener_(core::TcpListener::bind("127.0.0.1", 0)), port_(listener_.local_address().port()) {
    thread_ = std::thread([this, deadline, handle = std::move(handle)] {
        try {
            serve(deadline, handle);
        } catch (...) {
            error_ = std::current_exception();
        }
    });
}

OneShotServer::~OneShotServer() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void OneShotServer::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
    if (error_) {
        std::rethrow_exception(std::exchange(error_, nullptr));
    }
}

void OneShotServer::serve(std::chrono::milliseconds deadline, const Handler& handle) {
    pollfd waiting{listener_.get(), POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(deadline.count()));
    if (ready < 0) {
        throw std::system_error(errno, std::system_category(), "poll");
    }
    if (ready == 0) {
        throw std::runtime_error("no client connected within the deadline");
    }
    auto accepted = listener_.accept();
    if (!accepted) {
        throw std::runtime_error("accept found no client");
    }
    set_receive_timeout(accepted->stream.get(), deadline);
    handle(accepted->stream);
}

}  // namespace netlab::consumer
