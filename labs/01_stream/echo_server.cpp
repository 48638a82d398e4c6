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
#include <iostream>
#include <system_error>
#include <utility>

#include "01_stream/echo.hpp"
#include "common/check.hpp"
#include "common/endpoint.hpp"

namespace netlab::stream {
namespace {

using namespace std::chrono_literals;

/// Writes one whole line to stderr; callable from any thread.
void log_line(const std::string& text) {
    static std::mutex log_mutex;
    const std::lock_guard lock(log_mutex);
    std::cerr << "tcp_echo_server: " << text << std::endl;
}

enum class AcceptFailure { transient, out_of_resources, fatal };

AcceptFailure classify_accept_error(int error) {
    switch (error) {
        case EINTR:
        case EAGAIN:        // the client gave up between poll() and accept(): the listener is non-blocking
        case ECONNABORTED:  // ... or it did so while still in the backlog
        case EPROTO:
        case EPERM:  // a firewall rule refused the connection
        // Linux hands a new connection's pending network error to accept(); accept(2) says to retry.
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case EOPNOTSUPP:
        case ENETUNREACH:
            return AcceptFailure::transient;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            return AcceptFailure::out_of_resources;
        default:  // EBADF, EINVAL, ENOTSOCK...: the listener itself is broken
            return AcceptFailure::fatal;
    }
}

}  // namespace

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
            case AcceptFailure::transient:
                if (error != EAGAIN && error != EINTR) {
                    log_line(reason + " (skipped)");
                }
                return true;
            case AcceptFailure::out_of_resources:
                if (!std::exchange(out_of_descriptors_, true)) {
                    log_line(reason + "; accepting again when a connection ends (retrying every 100 ms)");
                }
                return pause_accepting(shutdown, 100ms);
            case AcceptFailure::fatal:
                break;
        }
        throw std::system_error(error, std::system_category(), "accept");
    }
    out_of_descriptors_ = false;
    try {
        start(std::move(socket), to_string(reinterpret_cast<const sockaddr*>(&address), length));
    } catch (const std::system_error& error) {
        log_line("dropping a new connection: " + std::string(error.what()));
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
            log_line(peer + ": " + error.what());
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
    pollfd entries[2] = {{finished_.get(), POLLIN, 0}, {shutdown.fd(), POLLIN, 0}};
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
