// This lab shows:
//  - the read/send loop: whatever one read gave is sent back at once, so the peer sees its
//    bytes while it is still sending (echo is full duplex, 全双工);
//  - half-close (半关闭): on EOF the client has only stopped sending; we may still send, and
//    shutdown(SHUT_WR) tells it "that was everything" without closing the socket.

#include "01_stream/echo.hpp"

#include <sys/socket.h>

#include <array>
#include <cstddef>

#include "01_stream/read_some.hpp"
#include "01_stream/send_all.hpp"
#include "common/check.hpp"

namespace netlab::stream {

void echo_connection(int fd) {
    // BEGIN SOLUTION echo_connection
    std::array<std::byte, 16 * 1024> buffer;
    while (const ReadResult got = read_some(fd, buffer)) {
        send_all(fd, std::span(buffer).first(got.size));
    }
    check_syscall("shutdown", ::shutdown(fd, SHUT_WR));
    // END SOLUTION
}

}  // namespace netlab::stream
