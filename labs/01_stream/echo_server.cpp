// This lab shows:
//  - an accept loop that no client can kill: ECONNABORTED and friends are skipped, and running
//    out of descriptors (EMFILE) pauses accepting instead of spinning on a readable listener;
//  - a bound you can wait on together with SIGINT: not std::counting_semaphore (it cannot be
//    poll()ed) but a count of live connections plus an eventfd each finishing thread bumps;
//  - a connection thread closes only its own socket, under the lock the stopper holds, so
//    shutdown() never hits a descriptor number that was closed and handed out again.

#include "01_stream/echo_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <utility>

#include "01_stream/echo.hpp"
#include "common/accept_error.hpp"
#include "common/check.hpp"
#include "common/endpoint.hpp"
#include "common/log.hpp"

namespace netlab::stream {

using namespace std::chrono_literals;

EchoServer::EchoServer(UniqueFd listener, std::size_t max_clients)
    : listener_(std::move(listener)),
      max_clients_(std::max<std::size_t>(max_clients, 1)),
      finished_(check_syscall("eventfd", ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))) {
    // Non-blocking, so a client that resets between poll() and accept() cannot block us in accept().
    const int flags = check_syscall("fcntl", ::fcntl(listener_.get(), F_GETFL));
    check_syscall("fcntl", ::fcntl(listener_.get(), F_SETFL, flags | O_NONBLOCK));
}

EchoServer::~EchoServer() {
    stop_all();
}

void EchoServer::run(const ShutdownSignal& shutdown) {
    for (;;) {
        reap_finished();
        if (connections_.size() >= max_clients_) {
            // At the limit: accept nothing until a connection ends; new clients wait in the backlog.
            if (!shutdown.wait_readable(finished_.get())) {
                break;
            }
            continue;
        }
        if (!shutdown.wait_readable(listener_.get()) || !accept_one(shutdown)) {
            break;
        }
    }
    stop_all();
}

bool EchoServer::accept_one(const ShutdownSignal& shutdown) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    UniqueFd socket(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC));
    if (!socket) {
        const int error = errno;
        const std::string reason = "accept: " + std::system_category().message(error);
        switch (classify_accept_error(error)) {
            case AcceptError::retry:  // EAGAIN: the client gave up between poll() and accept()
                if (error != EAGAIN && error != EINTR) {
                    log::line(reason + " (skipped)");
                }
                return true;
            case AcceptError::out_of_resources:
                if (!std::exchange(out_of_descriptors_, true)) {
                    log::line(reason + "; accepting again when a connection ends (retrying every 100 ms)");
                }
                return pause_accepting(shutdown, 100ms);
            case AcceptError::fatal:
                break;
        }
        throw std::system_error(error, std::system_category(), "accept");
    }
    out_of_descriptors_ = false;
    try {
        start(std::move(socket), to_string(reinterpret_cast<const sockaddr*>(&address), length));
    } catch (const std::system_error& error) {
        log::line("dropping a new connection: " + std::string(error.what()));
    }
    return true;
}

void EchoServer::start(UniqueFd socket, const std::string& peer) {
    const int fd = socket.get();
    Connection& connection = connections_.emplace_back();
    connection.socket = std::move(socket);
    try {
        connection.worker = std::thread([this, &connection, fd, peer] { serve(connection, fd, peer); });
    } catch (...) {
        connections_.pop_back();  // no thread was started; this closes the socket
        throw;
    }
}

void EchoServer::serve(Connection& connection, int fd, const std::string& peer) {
    try {
        echo_connection(fd);
    } catch (const std::exception& error) {
        if (!stopping_) {  // while stopping, failures are our own doing
            log::line(peer + ": " + error.what());
        }
    }
    {
        const std::lock_guard lock(mutex_);
        connection.socket.reset();
        connection.finished = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(finished_.get(), &one, sizeof one);  // cannot overflow
}

void EchoServer::reap_finished() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t drained = ::read(finished_.get(), &count, sizeof count);  // EAGAIN if 0
    std::list<Connection> done;
    {
        const std::lock_guard lock(mutex_);
        for (auto it = connections_.begin(); it != connections_.end();) {
            const auto next = std::next(it);
            if (it->finished) {
                done.splice(done.end(), connections_, it);
            }
            it = next;
        }
    }
    for (Connection& connection : done) {
        connection.worker.join();  // it has returned or is about to
    }
}

bool EchoServer::pause_accepting(const ShutdownSignal& shutdown, std::chrono::milliseconds timeout) {
    pollfd entries[2] = {{finished_.get(), POLLIN, 0}, {shutdown.get(), POLLIN, 0}};
    if (::poll(entries, 2, static_cast<int>(timeout.count())) < 0 && errno != EINTR) {
        throw_errno("poll");
    }
    return entries[1].revents == 0;
}

void EchoServer::stop_all() noexcept {
    stopping_ = true;
    {
        const std::lock_guard lock(mutex_);
        for (Connection& connection : connections_) {
            if (!connection.finished) {
                ::shutdown(connection.socket.get(), SHUT_RDWR);  // wakes its thread in recv() or send()
            }
        }
    }
    for (Connection& connection : connections_) {
        if (connection.worker.joinable()) {
            connection.worker.join();
        }
    }
    connections_.clear();
}

}  // namespace netlab::stream
