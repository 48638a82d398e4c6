// This file shows:
//  - Content-Length for a body known in advance, chunk framing for one that is not;
//  - a HEAD reply that announces the same length as GET would, and then sends nothing.

#include "reply.hpp"

#include <cstdio>

namespace netlab::http_peer {

std::string_view reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 413:
            return "Content Too Large";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Unknown";
    }
}

bool is_bodiless(int status) {
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

std::string format_head(int status, const Fields& fields, ReplyMode mode) {
    std::string head =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    for (const auto& [name, value] : fields) {
        head += name + ": " + value + "\r\n";
    }
    if (mode.close) {
        head += "Connection: close\r\n";
    }
    return head + "\r\n";
}

bool send_whole(ReplyChannel& channel, ReplyMode mode, int status, std::string_view content_type,
                std::string_view body, const Fields& extra) {
    Fields fields = extra;
    if (!is_bodiless(status)) {
        fields.emplace_back("Content-Type", content_type);
        fields.emplace_back("Content-Length", std::to_string(body.size()));
    }
    const bool with_body = !mode.head_only && !is_bodiless(status);
    return channel.send(format_head(status, fields, mode)) && (!with_body || channel.send(body));
}

bool send_text(ReplyChannel& channel, ReplyMode mode, int status, std::string_view text,
               const Fields& extra) {
    return send_whole(channel, mode, status, "text/plain; charset=utf-8", text, extra);
}

bool send_chunk(ReplyChannel& channel, std::string_view data) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return channel.send(std::string(size) + std::string(data) + "\r\n");
}

}  // namespace netlab::http_peer
