// This file shows:
//  - the write side: a frame is its header then its payload, queued on libevent's output in that
//    order (after send_directly, the given fast path, sent what the kernel took at once);
//  - a connection that may destroy itself, as the LAST act of one of its own callbacks
//    (server_.destroy), and never touches anything of itself afterwards;
//  - an idle connection asked with a ping before it is dropped (a silent NAT may have forgotten it);
//  - two clocks: the idle timeout, which traffic restarts, and the deadline, a timer of its own armed
//    at accept (and again when closing) that no byte moves, so a trickle cannot hold a slot.

#include "09_websocket/server/ws_connection.hpp"

#include <sys/socket.h>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/server/send_directly.hpp"
#include "common/log.hpp"

namespace netlab::websocket {
namespace {

std::string http_reply_text(const HttpReply& reply) {
    return "HTTP/1.1 " + std::to_string(reply.status) + " " + std::string(reason_phrase(reply.status)) +
           "\r\nContent-Type: " + reply.content_type +
           "\r\nContent-Length: " + std::to_string(reply.body.size()) +
           "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + reply.body;
}

}  // namespace

WsServer::Connection::Connection(WsServer& server, libevent::BufferEvent bev, std::string peer,
                                 std::uint64_t id)
    : server_(server),
      bev_(std::move(bev)),
      deadline_(server.base_, [this] { on_deadline(); }),
      peer_(std::move(peer)),
      id_(id),
      decoder_(Role::server, server.options_.max_message) {}

bool WsServer::Connection::send(Opcode opcode, std::span<const std::byte> payload) {
    if (state_ != State::open) {
        return false;
    }
    if (queued() + payload.size() > server_.options_.max_queued) {
        netlab::log::line(peer_ + ": more than " + std::to_string(server_.options_.max_queued) +
                          " bytes queued, dropping a client too slow to read");
        notify_closed(close_code::kPolicyViolation);
        server_.destroy_later(*this);
        return false;
    }
    send_frame(opcode, payload);
    return true;
}

void WsServer::Connection::close(std::uint16_t code, std::string_view reason) {
    // BEGIN SOLUTION Connection::close
    if (state_ != State::open) {
        return;
    }
    send_frame(Opcode::close, close_payload(code, reason));
    state_ = State::closing;  // the peer's Close (or the deadline) ends it
    start_deadline(server_.options_.close_timeout);
    // END SOLUTION
}

void WsServer::Connection::send_frame(Opcode opcode, std::span<const std::byte> payload) {
    std::array<std::byte, kMaxHeaderSize> header{};
    const std::size_t size = encode_frame_header(header, opcode, true, payload.size(), std::nullopt);
    write_out(std::span(header).first(size), payload);
}

void WsServer::Connection::write_out(std::span<const std::byte> header, std::span<const std::byte> payload) {
    send_directly(bev_.socket_fd(), bev_.output(), header, payload);  // given: shrinks both to what is left
    // BEGIN SOLUTION write_out
    evbuffer* output = bev_.output();
    if (!header.empty() && ::evbuffer_add(output, header.data(), header.size()) < 0) {
        throw std::bad_alloc();
    }
    if (!payload.empty() && ::evbuffer_add(output, payload.data(), payload.size()) < 0) {
        throw std::bad_alloc();
    }
    // END SOLUTION
}

void WsServer::Connection::on_read() {
    // BEGIN SOLUTION Connection::on_read
    ping_outstanding_ = false;  // any byte proves the peer is alive
    if (state_ == State::draining) {
        ::evbuffer_drain(bev_.input(), ::evbuffer_get_length(bev_.input()));
        return;
    }
    if (state_ == State::handshake) {
        read_handshake();
    }
    if (state_ == State::open || state_ == State::closing) {
        read_frames();
    }
    if (state_ == State::open && queued() >= server_.options_.high_watermark) {
        bev_.disable(EV_READ);  // backpressure: read no more until our replies drained
        reading_paused_ = true;
    }
    // END SOLUTION
}

void WsServer::Connection::read_handshake() {
    // BEGIN SOLUTION read_handshake
    evbuffer* input = bev_.input();
    const std::size_t limit = server_.options_.head.max_bytes;
    const std::size_t take = std::min(::evbuffer_get_length(input), limit - head_.size());
    const std::size_t old_size = head_.size();
    head_.resize(old_size + take);
    ::evbuffer_remove(input, head_.data() + old_size, take);
    const HeadResult parsed = parse_request_head(head_, server_.options_.head);
    if (parsed.status == ParseStatus::need_more) {
        return;
    }
    if (parsed.status == ParseStatus::error) {
        const std::string reply = error_response(parsed.http_status, parsed.error);
        write_out(as_bytes(reply), {});
        finish();
        return;
    }
    const UpgradeCheck check = check_upgrade_request(parsed.head);
    if (check) {
        upgrade(parsed.head, check, parsed.consumed);
        return;
    }
    std::optional<HttpReply> page;
    if (!check.is_websocket && parsed.head.method == "GET") {
        page = server_.handler_.on_http(parsed.head);
    }
    const std::string reply =
        page ? http_reply_text(*page) : error_response(check.http_status, check.error, check.extra_fields);
    write_out(as_bytes(reply), {});
    finish();
    // END SOLUTION
}

void WsServer::Connection::upgrade(const HttpHead& /*head*/, const UpgradeCheck& check,
                                   std::size_t head_size) {
    // BEGIN SOLUTION upgrade
    const std::string reply = upgrade_response(check.key);
    write_out(as_bytes(reply), {});
    path_ = check.path;
    state_ = State::open;
    opened_ = true;
    decoder_.feed(
        as_bytes(std::string_view(head_).substr(head_size)));  // frames sent right behind the request
    std::string().swap(head_);
    deadline_.stop();  // open: from now on silence is what counts, and traffic restarts that clock
    bev_.set_timeouts(server_.options_.idle_timeout, server_.options_.idle_timeout);
    server_.handler_.on_open(*this);
    // END SOLUTION
}

void WsServer::Connection::read_frames() {
    // BEGIN SOLUTION read_frames
    evbuffer* input = bev_.input();
    for (;;) {
        const std::size_t available = ::evbuffer_get_length(input);
        if (available > 0) {
            const std::span<std::byte> room = decoder_.writable(available);
            const int got = ::evbuffer_remove(input, room.data(), room.size());
            decoder_.commit(got > 0 ? static_cast<std::size_t>(got) : 0);
        }
        const Event event = decoder_.next();
        if (event.kind == EventKind::need_more) {
            if (::evbuffer_get_length(input) == 0) {
                return;
            }
            continue;
        }
        if (!handle(event)) {
            return;
        }
    }
    // END SOLUTION
}

bool WsServer::Connection::handle(const Event& event) {
    // BEGIN SOLUTION handle
    switch (event.kind) {
        case EventKind::text:
        case EventKind::binary:
            if (state_ == State::open) {  // after our Close, data frames are read and ignored
                server_.handler_.on_message(
                    *this, event.kind == EventKind::text ? Opcode::text : Opcode::binary, event.payload);
            }
            return state_ == State::open || state_ == State::closing;
        case EventKind::ping:
            send_frame(Opcode::pong, event.payload);  // at once, even between a message's fragments
            return true;
        case EventKind::pong:
            return true;
        case EventKind::close:
            if (state_ == State::open) {  // the peer started it: echo its code (none for 1005)
                send_frame(Opcode::close, close_payload(event.code, as_text(event.payload)));
            }
            notify_closed(event.code);
            finish();
            return false;
        case EventKind::error:
            netlab::log::line(peer_ + ": closing with " + std::to_string(event.code) + ": " + event.error);
            if (state_ == State::open) {
                send_frame(Opcode::close, close_payload(event.code, event.error));
            }
            notify_closed(event.code);
            finish();
            return false;
        case EventKind::need_more:
            break;
    }
    return true;
    // END SOLUTION
}

void WsServer::Connection::finish() {
    // BEGIN SOLUTION finish
    state_ = State::draining;
    shutdown_pending_ = true;
    bev_.set_write_low_watermark(0);                 // on_write when the output is empty, then SHUT_WR
    start_deadline(server_.options_.close_timeout);  // a peer that keeps sending cannot keep us here
    bev_.enable(EV_READ);
    ::evbuffer_drain(bev_.input(), ::evbuffer_get_length(bev_.input()));
    shutdown_if_flushed();
    // END SOLUTION
}

void WsServer::Connection::shutdown_if_flushed() {
    if (shutdown_pending_ && queued() == 0) {
        ::shutdown(bev_.socket_fd(), SHUT_WR);  // our FIN; the client's FIN (EOF) then ends the connection
        shutdown_pending_ = false;
    }
}

void WsServer::Connection::on_write() {
    // BEGIN SOLUTION Connection::on_write
    if (state_ == State::draining) {
        shutdown_if_flushed();
        return;
    }
    if (reading_paused_) {
        reading_paused_ = false;
        bev_.enable(EV_READ);
    }
    // END SOLUTION
}

void WsServer::Connection::on_event(short events, int error) {
    // BEGIN SOLUTION Connection::on_event
    if ((events & BEV_EVENT_TIMEOUT) != 0 && (events & BEV_EVENT_READING) != 0 && state_ == State::open &&
        !ping_outstanding_) {
        ping_outstanding_ = true;  // idle: ask whether the peer is still there
        send_frame(Opcode::ping, as_bytes("idle"));
        bev_.enable(EV_READ);  // libevent disabled reading when the timeout fired
        return;
    }
    if ((events & BEV_EVENT_ERROR) != 0 && error != ECONNRESET && error != EPIPE) {
        netlab::log::line(peer_ + ": " + std::system_category().message(error));
    } else if ((events & BEV_EVENT_TIMEOUT) != 0 && state_ != State::draining) {
        netlab::log::line(peer_ + ": timed out");
    }
    notify_closed(close_code::kAbnormal);  // EOF, error or timeout without a completed close handshake
    server_.destroy(*this);                // destroys this connection: touch nothing after it
    // END SOLUTION
}

void WsServer::Connection::start_deadline(std::chrono::milliseconds after) {
    deadline_.start(after);
}

void WsServer::Connection::on_deadline() {
    // BEGIN SOLUTION Connection::on_deadline
    if (state_ == State::handshake) {
        netlab::log::line(peer_ + ": no complete upgrade request " +
                          std::to_string(server_.options_.handshake_timeout.count()) + " ms after accept");
        const std::string reply = error_response(408, "the upgrade request took too long");
        write_out(as_bytes(reply), {});  // best effort: the connection ends now, whatever is queued
    } else if (state_ != State::draining) {
        netlab::log::line(peer_ + ": no Close reply within " +
                          std::to_string(server_.options_.close_timeout.count()) + " ms");
    }
    notify_closed(close_code::kAbnormal);
    server_.destroy(*this);  // destroys this connection and this timer: touch nothing after it
    // END SOLUTION
}

void WsServer::Connection::notify_closed(std::uint16_t code) {
    if (opened_ && !notified_ && !server_.shutting_down_) {
        notified_ = true;
        server_.handler_.on_close(*this, code);
    }
}

void WsServer::Connection::kill() noexcept {
    state_ = State::dead;
    deadline_.stop();  // the reaper destroys it; the deadline must not destroy it first
    ::bufferevent_disable(bev_.get(), EV_READ | EV_WRITE);
}

}  // namespace netlab::websocket
