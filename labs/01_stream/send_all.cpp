// This lab shows:
//  - the short-write loop: send() returns how much it took, which can be less than asked
//    when a signal interrupts it after part of the data was queued (or with SO_SNDTIMEO);
//  - EINTR before anything was sent: nothing happened, try again;
//  - MSG_NOSIGNAL: writing to a connection the peer has closed returns EPIPE instead of
//    killing the whole process with SIGPIPE.

#include "01_stream/send_all.hpp"

#include <sys/socket.h>

#include <cerrno>

#include "common/check.hpp"

namespace netlab::stream {

void send_all(int fd, std::span<const std::byte> bytes) {
    // BEGIN SOLUTION send_all
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("send");
        }
        bytes = bytes.subspan(static_cast<std::size_t>(sent));
    }
    // END SOLUTION
}

}  // namespace netlab::stream
