#pragma once
// This file shows:
//  - the proof a server understood the upgrade (RFC 6455 4.2.2): Sec-WebSocket-Accept is
//    base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")); a plain HTTP server or a
//    cache cannot produce it by accident;
//  - SHA-1 through OpenSSL 3's EVP interface (the old SHA1() call is deprecated), and the
//    client's random key from OpenSSL's RAND_bytes.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "09_websocket/protocol/frame.hpp"

namespace netlab::websocket {

/// The GUID every WebSocket endpoint appends to the key.
inline constexpr std::string_view kHandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key. Throws std::runtime_error if OpenSSL fails.
std::string accept_key(std::string_view client_key);
/// Standard base64 with padding.
std::string base64_encode(std::span<const std::byte> bytes);
/// A fresh Sec-WebSocket-Key: 16 random bytes, base64 (24 characters).
std::string random_key();
/// Fills out with cryptographically random bytes (RAND_bytes); throws std::runtime_error on failure.
void random_bytes(std::span<std::byte> out);

/// Masking keys for a client, drawn from RAND_bytes 1024 at a time (one call per 1024 frames).
class MaskSource {
public:
    /// The next unpredictable key.
    MaskKey next();

private:
    std::array<std::byte, 4096> pool_{};
    std::size_t used_ = pool_.size();
};

}  // namespace netlab::websocket
