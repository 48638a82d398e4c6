// The echo fast path, as in lab 05: a small frame usually goes out with one sendmsg() straight from
// where its bytes already are (the decoder's buffer), instead of being copied into libevent's output
// and written on the next pass of the loop. Only what the kernel refuses is queued. It is an
// optimisation that bench/ measures; the server is correct without it.

#include "09_websocket/server/send_directly.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>

namespace netlab::websocket {

void send_directly(evutil_socket_t socket, evbuffer* output, std::span<const std::byte>& header,
                   std::span<const std::byte>& payload) {
    if (::evbuffer_get_length(output) != 0) {
        return;  // queued bytes go first: sending now would overtake them
    }
    iovec parts[2] = {{const_cast<std::byte*>(header.data()), header.size()},
                      {const_cast<std::byte*>(payload.data()), payload.size()}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = payload.empty() ? 1 : 2;
    const ssize_t n = ::sendmsg(socket, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    // On an error (EAGAIN, EPIPE, ECONNRESET) nothing was sent: libevent's own write reports it.
    const std::size_t sent = n > 0 ? static_cast<std::size_t>(n) : 0;
    const std::size_t from_header = std::min(sent, header.size());
    header = header.subspan(from_header);
    payload = payload.subspan(sent - from_header);
}

}  // namespace netlab::websocket
