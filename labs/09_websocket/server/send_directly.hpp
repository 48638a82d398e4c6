#pragma once

#include <event2/buffer.h>
#include <event2/util.h>

#include <cstddef>
#include <span>

namespace netlab::websocket {

/// When `output` is empty, sends what the kernel takes now of [header, payload] with one sendmsg
/// (never blocking, never raising SIGPIPE) and shrinks both spans to what it left; otherwise, or on
/// any error, leaves them whole. The caller queues what is left, so the bytes stay in order.
void send_directly(evutil_socket_t socket, evbuffer* output, std::span<const std::byte>& header,
                   std::span<const std::byte>& payload);

}  // namespace netlab::websocket
