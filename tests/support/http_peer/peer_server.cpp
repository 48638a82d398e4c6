// This file shows:
//  - one poll() over three descriptors: the stop signal, "a connection ended" and the listener,
//    the last left out while every slot is taken;
//  - accept() failures sorted by netlab::classify_accept_error: retry, pause while out of
//    descriptors or memory, or give up when the listener itself is broken.

#include "peer_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <exception>
#include <string>
#include <system_error>

#include "common/accept_error.hpp"
#include "common/check.hpp"
#include "common/log.hpp"
#include "connection.hpp"

namespace netlab::http_peer {
namespace {

constexpr int kResourcePauseMillis = 100;  // out of descriptors: try accept() again this much later

}  // namespace

PeerServer::PeerServer(int listener, const TlsContext* tls, ServerOptions options)
    : listener_(listener),
      tls_(tls),
      options_(options),
      ended_(check_syscall("eventfd", ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))) {
    const int flags = check_syscall("fcntl", ::fcntl(listener_, F_GETFL));
    check_syscall("fcntl",
                  ::fcntl(listener_, F_SETFL, flags | O_NONBLOCK));  // a client may leave before accept
}

PeerServer::~PeerServer() {
    stop_all();
}

void PeerServer::run(int stop) {
    bool paused = false;
    for (;;) {
        const bool accepting = slots_.size() < options_.max_connections && !paused;
        pollfd watch[3] = {{stop, POLLIN, 0}, {ended_.get(), POLLIN, 0}, {listener_, POLLIN, 0}};
        const int ready = ::poll(watch, accepting ? 3 : 2, paused ? kResourcePauseMillis : -1);
        if (ready < 0 && errno != EINTR) {
            throw_errno("poll");
        }
        paused = false;
        if (watch[0].revents != 0) {
            break;
        }
        if (watch[1].revents != 0) {
            reap();
        }
        if (!accepting || watch[2].revents == 0) {
            continue;
        }
        UniqueFd socket(::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC));
        if (socket) {
            start(std::move(socket));
            continue;
        }
        const int error = errno;
        switch (classify_accept_error(error)) {
            case AcceptError::retry:
                break;
            case AcceptError::out_of_resources:
                paused = true;
                break;
            case AcceptError::fatal:
                throw std::system_error(error, std::system_category(), "accept");
        }
    }
    stop_all();
}

void PeerServer::start(UniqueFd socket) {
    Slot& slot = slots_.emplace_back();
    slot.socket = std::move(socket);
    try {
        slot.thread = std::thread([this, &slot] { serve(slot); });
    } catch (const std::system_error& error) {  // no thread to be had: this client is turned away
        netlab::log::line(std::string("connection refused: ") + error.what());
        slots_.pop_back();
    }
}

void PeerServer::serve(Slot& slot) {
    try {
        Connection(slot.socket.get(), tls_, options_.idle_timeout).run();
    } catch (const std::exception& error) {  // e.g. bad_alloc: this connection ends, the peer goes on
        netlab::log::line(std::string("connection ended: ") + error.what());
    }
    slot.done = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(ended_.get(), &one, sizeof one);
}

void PeerServer::reap() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(ended_.get(), &count, sizeof count);
    for (auto slot = slots_.begin(); slot != slots_.end();) {
        if (slot->done) {
            slot->thread.join();
            slot = slots_.erase(slot);  // closes the socket, now that its thread is gone
        } else {
            ++slot;
        }
    }
}

void PeerServer::stop_all() noexcept {
    for (Slot& slot : slots_) {
        ::shutdown(slot.socket.get(), SHUT_RDWR);
    }
    for (Slot& slot : slots_) {
        if (slot.thread.joinable()) {
            slot.thread.join();
        }
    }
    slots_.clear();
}

}  // namespace netlab::http_peer
