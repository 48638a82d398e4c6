// Lab 02's datagram decoder on arbitrary bytes: it must never crash or read out of bounds,
// and whatever it accepts must encode back to exactly the bytes it came from.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "02_datagram/wire_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    const auto decoded = netlab::datagram::decode_message(bytes);
    if (!decoded) {
        return 0;
    }
    const auto encoded = netlab::datagram::encode_message(decoded.message);
    if (encoded.size() != size || std::memcmp(encoded.data(), data, size) != 0) {
        std::abort();  // accepted input that does not round-trip
    }
    return 0;
}
