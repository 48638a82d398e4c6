// This file shows:
//  - the checks in the order that gives the most useful answer: a wrong method first (405),
//    then "this is not a WebSocket request at all" (426), then the version (426 + the version
//    we speak), then the fields that make a request malformed (400);
//  - fields that name one thing appear once: a second Host (RFC 9112 3.2), Sec-WebSocket-Key or
//    Sec-WebSocket-Version (RFC 6455 11.3) is a 400, never "the first one wins"; list fields
//    (Connection, Upgrade) may repeat, their lines read as one list;
//  - why the key is decoded, not only checked for presence: it must be 16 bytes of base64.

#include "09_websocket/protocol/upgrade.hpp"

#include <algorithm>

#include "09_websocket/protocol/accept_key.hpp"

namespace netlab::websocket {
namespace {

UpgradeCheck refuse(int status, std::string error, std::string extra = {}) {
    UpgradeCheck check;
    check.http_status = status;
    check.error = std::move(error);
    check.extra_fields = std::move(extra);
    return check;
}

/// True for 24 characters of base64 whose last two are "==": exactly 16 bytes.
bool is_valid_key(std::string_view key) {
    if (key.size() != 24 || !key.ends_with("==")) {
        return false;
    }
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    return std::all_of(key.begin(), key.end() - 2,
                       [&](char c) { return alphabet.find(c) != std::string_view::npos; }) &&
           std::string_view("AQgw").find(key[21]) != std::string_view::npos;  // the unused low bits are zero
}

}  // namespace

UpgradeCheck check_upgrade_request(const HttpHead& head) {
    // BEGIN SOLUTION check_upgrade_request
    if (head.method != "GET") {
        return refuse(405, "method " + head.method + " cannot open a WebSocket; use GET", "Allow: GET\r\n");
    }
    if (head.count("Host") > 1) {
        return refuse(400, "Host appears more than once");
    }
    if (!head.has_token("Upgrade", "websocket")) {
        UpgradeCheck check =
            refuse(426, "this is a WebSocket endpoint: send Upgrade: websocket", "Upgrade: websocket\r\n");
        check.is_websocket = false;
        check.path = head.target;
        return check;
    }
    if (head.version != "HTTP/1.1") {
        return refuse(400, "the upgrade needs HTTP/1.1, not " + head.version);
    }
    for (const std::string_view single : {"Sec-WebSocket-Key", "Sec-WebSocket-Version"}) {
        if (head.count(single) > 1) {
            return refuse(400, std::string(single) + " appears more than once");
        }
    }
    const auto version = head.field("Sec-WebSocket-Version");
    if (!version || *version != "13") {
        return refuse(426, "Sec-WebSocket-Version must be 13", "Sec-WebSocket-Version: 13\r\n");
    }
    const auto key = head.field("Sec-WebSocket-Key");
    if (!key) {
        return refuse(400, "Sec-WebSocket-Key is missing");
    }
    if (!is_valid_key(*key)) {
        return refuse(400, "Sec-WebSocket-Key is not 16 bytes in base64");
    }
    if (!head.has_token("Connection", "Upgrade")) {
        return refuse(400, "Connection must include Upgrade");
    }
    if (!head.field("Host")) {
        return refuse(400, "Host is missing");
    }
    if (head.target.empty() || head.target.front() != '/') {
        return refuse(400, "the target must be a path starting with /");
    }
    UpgradeCheck check;
    check.path = head.target;
    check.key = *key;
    return check;
    // END SOLUTION
}

std::string upgrade_response(std::string_view key) {
    return "HTTP/1.1 101 Switching Protocols\r\n"
           "Upgrade: websocket\r\n"
           "Connection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           accept_key(key) + "\r\n\r\n";
}

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 426:
            return "Upgrade Required";
        case 431:
            return "Request Header Fields Too Large";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Error";
    }
}

std::string error_response(int status, std::string_view message, std::string_view extra_fields) {
    const std::string body = std::string(message) + "\n";
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n" +
           std::string(extra_fields) +
           "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

std::string upgrade_request(std::string_view host_field, std::string_view path, std::string_view key) {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: " + std::string(host_field) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + std::string(key) +
           "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

std::string check_upgrade_response(const HttpHead& head, std::string_view key) {
    // BEGIN SOLUTION check_upgrade_response
    if (head.status != 101) {
        return "the server answered " + std::to_string(head.status) + " " + head.reason + ", not 101";
    }
    if (!head.has_token("Upgrade", "websocket") || !head.has_token("Connection", "Upgrade")) {
        return "the 101 reply lacks Upgrade: websocket or Connection: Upgrade";
    }
    const auto accept = head.field("Sec-WebSocket-Accept");
    if (!accept || head.count("Sec-WebSocket-Accept") > 1 || *accept != accept_key(key)) {
        return "Sec-WebSocket-Accept does not match our key";
    }
    if (head.field("Sec-WebSocket-Extensions")) {
        return "the server chose an extension we never offered";
    }
    return "";
    // END SOLUTION
}

}  // namespace netlab::websocket
