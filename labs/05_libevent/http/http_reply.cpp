// This file shows:
//  - evhttp_send_reply with an evbuffer: evhttp moves the buffer's chains into the connection,
//    and adds Content-Length itself for HTTP/1.1 when the reply has a body;
//  - the two places where evhttp needs help: HEAD and bodiless status codes.

#include "05_libevent/http/http_reply.hpp"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include <charconv>
#include <new>
#include <string>

#include "05_libevent/event/owners.hpp"

namespace netlab::libevent {

void add_header(evhttp_request* req, const char* name, std::string_view value) {
    ::evhttp_add_header(::evhttp_request_get_output_headers(req), name, std::string(value).c_str());
}

void send_reply(evhttp_request* req, int code, std::string_view content_type, evbuffer* body) {
    const bool bodiless_status = (code >= 100 && code < 200) || code == 204 || code == 304;
    const bool head = ::evhttp_request_get_command(req) == EVHTTP_REQ_HEAD;
    const std::size_t length = body == nullptr ? 0 : ::evbuffer_get_length(body);
    if (!bodiless_status) {
        add_header(req, "Content-Type", content_type);
        if (head) {
            add_header(req, "Content-Length", std::to_string(length));
        }
    }
    if ((bodiless_status || head) && body != nullptr) {
        ::evbuffer_drain(body, length);  // evhttp would send whatever the buffer holds
    }
    ::evhttp_send_reply(req, code, nullptr, (bodiless_status || head) ? nullptr : body);
}

void send_text(evhttp_request* req, int code, std::string_view text) {
    const EvBufferPtr body(::evbuffer_new());
    if (!body) {
        throw std::bad_alloc();
    }
    ::evbuffer_add(body.get(), text.data(), text.size());
    send_reply(req, code, "text/plain; charset=utf-8", body.get());
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min, std::uint64_t max) {
    if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (value < min || value > max) {
        return std::nullopt;
    }
    return value;
}

}  // namespace netlab::libevent
