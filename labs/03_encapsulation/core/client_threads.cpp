// This file shows:
//  - the life of one client thread: serve, log what it threw, then say "finished" through the
//    eventfd so the accepting thread joins it and closes its stream promptly.

#include "03_encapsulation/core/client_threads.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

#include "common/check.hpp"
#include "common/log.hpp"

namespace netlab::core {

ClientThreads::ClientThreads(std::function<void(TcpStream&)> serve)
    : serve_(std::move(serve)),
      finished_(check_syscall("eventfd", ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))) {}

ClientThreads::~ClientThreads() {
    stopping_ = true;  // from now on, failures are our own doing: not logged
    for (Client& client : clients_) {
        client.stream.shutdown_both();  // wakes its thread in read_some or write_all
    }
    for (Client& client : clients_) {
        client.worker.join();
    }
}

void ClientThreads::reap() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t drained = ::read(finished_.get(), &count, sizeof count);  // EAGAIN if 0
    clients_.remove_if([](Client& client) {
        const bool done = client.done;  // read once: it may turn true while we look
        if (done) {
            client.worker.join();  // it has returned or is about to
        }
        return done;
    });
}

void ClientThreads::start(Accepted accepted) {
    Client& client = clients_.emplace_back();
    client.stream = std::move(accepted.stream);
    try {
        client.worker = std::thread([this, &client, peer = accepted.peer.to_string()] {
            try {
                serve_(client.stream);
            } catch (const std::exception& error) {
                if (!stopping_) {
                    log::line(peer + ": " + error.what());
                }
            }
            client.done = true;
            const std::uint64_t one = 1;
            [[maybe_unused]] const ssize_t written =
                ::write(finished_.get(), &one, sizeof one);  // cannot overflow
        });
    } catch (const std::system_error& error) {
        log::line("dropping a new connection: " + std::string(error.what()));
        clients_.pop_back();  // no thread was started: this closes the stream
    }
}

}  // namespace netlab::core
