// This lab shows:
//  - evhttp's deferred replies: evhttp_send_reply later (a timer), evhttp_send_reply_start /
//    _chunk / _end for a body in pieces, and the chunk callback that says "written, send more";
//  - the close callback as the single place that learns "the client went away": after it, the
//    request belongs either to evhttp (still attached: freed with the connection) or to us
//    (detached: we free it), and this reply is destroyed without touching it again.

#include "05_libevent/http/pending_reply.hpp"

#include <event2/buffer.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/owners.hpp"
#include "05_libevent/http/http_reply.hpp"
#include "05_libevent/http/http_server.hpp"

namespace netlab::libevent {
namespace {

constexpr std::size_t kBytesPiece = 64 * 1024;  // at most this much of a /bytes body is in memory
constexpr std::uint64_t kCloseMidBodyDeclared = 1000;
constexpr std::size_t kCloseMidBodySent = 100;

EvBufferPtr new_buffer() {
    EvBufferPtr buffer(::evbuffer_new());
    if (!buffer) {
        throw std::bad_alloc();
    }
    return buffer;
}

}  // namespace

void fill_counting_pattern(std::uint64_t offset, char* out, std::size_t size) {
    char record[16];
    for (std::size_t done = 0; done < size;) {
        const std::uint64_t record_start = offset / 16 * 16;
        std::uint64_t value = record_start;
        for (int digit = 14; digit >= 0; --digit) {
            record[digit] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
        record[15] = '\n';
        const auto from = static_cast<std::size_t>(offset - record_start);
        const std::size_t n = std::min(16 - from, size - done);
        std::memcpy(out + done, record + from, n);
        done += n;
        offset += n;
    }
}

PendingReply::PendingReply(HttpServer& server, evhttp_request* req) : server_(server), req_(req) {
    ::evhttp_connection_set_closecb(::evhttp_request_get_connection(req), &PendingReply::connection_closed,
                                    this);
}

PendingReply::~PendingReply() {
    release();
}

evhttp_request* PendingReply::release() noexcept {
    if (req_ != nullptr) {
        if (evhttp_connection* connection = ::evhttp_request_get_connection(req_)) {
            ::evhttp_connection_set_closecb(connection, nullptr, nullptr);
        }
    }
    return std::exchange(req_, nullptr);
}

void PendingReply::destroy() {
    server_.forget(*this);
}

void PendingReply::connection_closed(evhttp_connection*, void* ctx) {
    auto* self = static_cast<PendingReply*>(ctx);
    detail::run_guarded(self->server_.base().get(), [self] {
        evhttp_request* req = std::exchange(self->req_, nullptr);
        if (::evhttp_request_get_connection(req) == nullptr) {
            ::evhttp_request_free(req);  // detached because we still owed the reply: ours to free
        }  // otherwise it is still on the connection, and evhttp frees it with the connection
        self->destroy();
    });
}

DelayedReply::DelayedReply(HttpServer& server, evhttp_request* req, std::chrono::milliseconds delay)
    : PendingReply(server, req), delay_(delay), timer_(server.base(), [this] { fire(); }) {}

void DelayedReply::start() {
    timer_.start(delay_);
}

void DelayedReply::fire() {
    evhttp_request* req = release();
    send_text(req, 200, "delayed " + std::to_string(delay_.count()) + " ms\n");
    destroy();
}

ChunkStream::ChunkStream(HttpServer& server, evhttp_request* req, std::uint64_t chunks,
                         std::chrono::milliseconds interval)
    : PendingReply(server, req),
      chunks_(chunks),
      interval_(interval),
      timer_(server.base(), [this] { tick(); }) {}

void ChunkStream::start() {
    add_header(request(), "Content-Type", "application/x-ndjson");
    ::evhttp_send_reply_start(request(), 200, nullptr);  // HTTP/1.1: Transfer-Encoding: chunked
    tick();
}

void ChunkStream::tick() {
    // BEGIN SOLUTION tick
    const EvBufferPtr chunk = new_buffer();
    ::evbuffer_add_printf(chunk.get(), "{\"chunk\": %llu, \"of\": %llu}\n",
                          static_cast<unsigned long long>(sent_), static_cast<unsigned long long>(chunks_));
    ::evhttp_send_reply_chunk(request(), chunk.get());
    if (++sent_ == chunks_) {
        evhttp_request* req = release();
        ::evhttp_send_reply_end(req);  // the zero-length chunk that ends the body
        destroy();
        return;
    }
    timer_.start(interval_);
    // END SOLUTION
}

BytesStream::BytesStream(HttpServer& server, evhttp_request* req, std::uint64_t total)
    : PendingReply(server, req), total_(total) {}

void BytesStream::start() {
    add_header(request(), "Content-Type", "application/octet-stream");
    add_header(request(), "Content-Length", std::to_string(total_));  // so evhttp does not chunk it
    ::evhttp_send_reply_start(request(), 200, nullptr);
    send_more();
}

void BytesStream::drained(evhttp_connection*, void* ctx) {
    auto* self = static_cast<BytesStream*>(ctx);
    detail::run_guarded(self->server().base().get(), [self] { self->send_more(); });
}

void BytesStream::send_more() {
    // BEGIN SOLUTION send_more
    if (sent_ == total_) {
        evhttp_request* req = release();
        ::evhttp_send_reply_end(req);
        destroy();
        return;
    }
    const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(total_ - sent_, kBytesPiece));
    const EvBufferPtr piece = new_buffer();
    evbuffer_iovec space{};
    if (::evbuffer_reserve_space(piece.get(), static_cast<ev_ssize_t>(size), &space, 1) != 1) {
        throw std::bad_alloc();
    }
    fill_counting_pattern(sent_, static_cast<char*>(space.iov_base), size);  // written in place: no copy
    space.iov_len = size;
    ::evbuffer_commit_space(piece.get(), &space, 1);
    sent_ += size;
    // drained() runs once this piece has left the output buffer: only then is the next one made.
    ::evhttp_send_reply_chunk_with_cb(request(), piece.get(), &BytesStream::drained, this);
    // END SOLUTION
}

CloseMidBody::CloseMidBody(HttpServer& server, evhttp_request* req) : PendingReply(server, req) {}

void CloseMidBody::start() {
    add_header(request(), "Content-Type", "text/plain; charset=utf-8");
    add_header(request(), "Content-Length", std::to_string(kCloseMidBodyDeclared));
    ::evhttp_send_reply_start(request(), 200, nullptr);
    const EvBufferPtr part = new_buffer();
    const std::string bytes(kCloseMidBodySent, 'x');
    ::evbuffer_add(part.get(), bytes.data(), bytes.size());
    ::evhttp_send_reply_chunk_with_cb(request(), part.get(), &CloseMidBody::drained, this);
}

void CloseMidBody::drained(evhttp_connection*, void* ctx) {
    auto* self = static_cast<CloseMidBody*>(ctx);
    detail::run_guarded(self->server().base().get(), [self] {
        evhttp_connection* connection = ::evhttp_request_get_connection(self->release());
        self->destroy();
        ::evhttp_connection_free(connection);  // FIN after 100 of 1000 bytes; frees the request too
    });
}

}  // namespace netlab::libevent
