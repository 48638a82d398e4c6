#include "lab09_helpers.hpp"

#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <stdexcept>

#include "deadline.hpp"
#include "test_socket.hpp"

namespace netlab::testing::lab09 {

std::string sample_request(const std::string& path, const std::string& extra_fields) {
    return "GET " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: " +
           std::string(kSampleKey) + "\r\nSec-WebSocket-Version: 13\r\n" + extra_fields + "\r\n";
}

std::string accept_value(const std::string& key) {
    const std::string input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (::EVP_Digest(input.data(), input.size(), digest, &digest_size, ::EVP_sha1(), nullptr) != 1) {
        throw std::runtime_error("EVP_Digest failed");
    }
    unsigned char text[64] = {};
    const int n = ::EVP_EncodeBlock(text, digest, static_cast<int>(digest_size));
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
}

std::string server_close(int code, const std::string& reason) {
    std::string payload;
    payload += static_cast<char>((code >> 8) & 0xFF);
    payload += static_cast<char>(code & 0xFF);
    return client_frame(0x88, payload + reason, false);
}

std::string client_frame(std::uint8_t first_byte, const std::string& payload, bool mask,
                         std::optional<std::uint64_t> claimed_length) {
    const std::uint64_t length = claimed_length.value_or(payload.size());
    std::string frame(1, static_cast<char>(first_byte));
    const unsigned char mask_bit = mask ? 0x80 : 0x00;
    if (length < 126) {
        frame += static_cast<char>(mask_bit | length);
    } else if (length <= 0xFFFF) {
        frame += static_cast<char>(mask_bit | 126);
        frame += static_cast<char>(length >> 8);
        frame += static_cast<char>(length & 0xFF);
    } else {
        frame += static_cast<char>(mask_bit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame += static_cast<char>((length >> shift) & 0xFF);
        }
    }
    const char key[4] = {'\x12', '\x34', '\x56', '\x78'};
    if (mask) {
        frame.append(key, 4);
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        frame += mask ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    }
    return frame;
}

int RawFrame::close_code() const {
    if (payload.size() < 2) {
        return 1005;
    }
    return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

RawWs::RawWs(std::uint16_t port) : fd_(connect_to("127.0.0.1", port)) {}

bool RawWs::fill(std::size_t want, Clock::time_point deadline) {
    while (buffer_.size() < want) {
        pollfd p{fd_.get(), POLLIN, 0};
        if (::poll(&p, 1, millis_left(deadline)) <= 0) {
            return false;
        }
        char chunk[65536];
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
        if (n <= 0) {
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
}

std::string RawWs::handshake(const std::string& request) {
    if (!send(request)) {
        return "";
    }
    return read_head();
}

std::string RawWs::read_head() {
    const auto deadline = Clock::now() + 10s;
    for (;;) {
        const std::size_t end = buffer_.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::string head = buffer_.substr(0, end + 4);
            buffer_.erase(0, end + 4);
            return head;
        }
        if (!fill(buffer_.size() + 1, deadline)) {
            return buffer_;
        }
    }
}

RawWs RawWs::open(std::uint16_t port, const std::string& path) {
    RawWs ws(port);
    const std::string head = ws.handshake(sample_request(path));
    if (head.rfind("HTTP/1.1 101", 0) != 0 || head.find(kSampleAccept) == std::string::npos) {
        throw std::runtime_error("no 101 with the right Sec-WebSocket-Accept; got: " + head.substr(0, 300));
    }
    return ws;
}

RawWs RawWs::accept_upgrade(int listener) {
    UniqueFd client = accept_within(listener, 10s);
    if (!client) {
        throw std::runtime_error("no client connected within 10 s");
    }
    RawWs ws(std::move(client));
    const std::string head = ws.read_head();
    const std::string field = "Sec-WebSocket-Key: ";
    const std::size_t at = head.find(field);
    if (!head.ends_with("\r\n\r\n") || at == std::string::npos) {
        throw std::runtime_error("no upgrade request with a key; got: " + head.substr(0, 300));
    }
    const std::size_t start = at + field.size();
    const std::string key = head.substr(start, head.find("\r\n", start) - start);
    if (!ws.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Accept: " +
                 accept_value(key) + "\r\n\r\n")) {
        throw std::runtime_error("the client left before our 101");
    }
    return ws;
}

std::optional<std::string> RawWs::read_bytes(std::size_t n, std::chrono::milliseconds timeout) {
    if (!fill(n, Clock::now() + timeout)) {
        return std::nullopt;
    }
    std::string bytes = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return bytes;
}

bool RawWs::send(const std::string& bytes) {
    return send_within(fd_.get(), bytes, 10s);
}

std::optional<RawFrame> RawWs::read_frame(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    if (!fill(2, deadline)) {
        return std::nullopt;
    }
    RawFrame frame;
    frame.first_byte = static_cast<std::uint8_t>(buffer_[0]);
    frame.masked = (buffer_[1] & 0x80) != 0;
    std::uint64_t length = static_cast<std::uint8_t>(buffer_[1]) & 0x7F;
    std::size_t at = 2;
    if (length >= 126) {
        const std::size_t extra = length == 126 ? 2 : 8;
        if (!fill(2 + extra, deadline)) {
            return std::nullopt;
        }
        length = 0;
        for (std::size_t i = 0; i < extra; ++i) {
            length = (length << 8) | static_cast<std::uint8_t>(buffer_[2 + i]);
        }
        at += extra;
    }
    if (frame.masked) {
        at += 4;
    }
    if (length > (64u << 20) || !fill(at + length, deadline)) {
        return std::nullopt;
    }
    frame.payload = buffer_.substr(at, length);
    for (std::size_t i = 0; frame.masked && i < frame.payload.size(); ++i) {
        frame.payload[i] = static_cast<char>(frame.payload[i] ^ buffer_[at - 4 + i % 4]);
    }
    buffer_.erase(0, at + length);
    return frame;
}

int RawWs::read_close_code(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (auto frame = read_frame(std::chrono::milliseconds(millis_left(deadline)))) {
        if (frame->opcode() == 0x8) {
            return frame->close_code();
        }
    }
    return -1;
}

bool RawWs::wait_eof(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        pollfd p{fd_.get(), POLLIN, 0};
        if (::poll(&p, 1, millis_left(deadline)) <= 0) {
            return false;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
        if (n <= 0) {
            return true;
        }
    }
}

std::string RawWs::echo(const std::string& text) {
    if (!send(client_frame(0x81, text))) {
        return "<send failed>";
    }
    while (auto frame = read_frame()) {
        if (frame->opcode() == 0x1) {
            return frame->payload;
        }
    }
    return "<none>";
}

}  // namespace netlab::testing::lab09
