// This file shows:
//  - EVP_Digest: one call that hashes a buffer with the named algorithm;
//  - EVP_EncodeBlock: base64 with padding and without line breaks, exactly what the header needs.

#include "09_websocket/protocol/accept_key.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace netlab::websocket {

std::string base64_encode(std::span<const std::byte> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
    const int n = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(bytes.data()),
                                    static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string accept_key(std::string_view client_key) {
    // BEGIN SOLUTION accept_key
    std::string input(client_key);
    input += kHandshakeGuid;
    std::array<std::byte, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (::EVP_Digest(input.data(), input.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
                     ::EVP_sha1(), nullptr) != 1) {
        throw std::runtime_error("EVP_Digest(SHA-1) failed");
    }
    return base64_encode(std::span(digest).first(size));
    // END SOLUTION
}

void random_bytes(std::span<std::byte> out) {
    if (::RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
}

std::string random_key() {
    std::array<std::byte, 16> nonce{};
    random_bytes(nonce);
    return base64_encode(nonce);
}

MaskKey MaskSource::next() {
    if (used_ == pool_.size()) {
        random_bytes(pool_);
        used_ = 0;
    }
    MaskKey key{};
    std::copy_n(pool_.begin() + static_cast<std::ptrdiff_t>(used_), 4, key.begin());
    used_ += 4;
    return key;
}

}  // namespace netlab::websocket
