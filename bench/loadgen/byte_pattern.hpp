#pragma once
// This file shows:
//  - how a load generator checks every echoed byte without keeping a copy of what it sent:
//    byte k of a connection's stream is a pure function of (the connection's seed + k);
//  - a pseudo-random pattern whose period (a prime) matches no message size, so a lost,
//    repeated or shifted chunk, or bytes from another connection, never compare equal.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace netlab::bench {

/// The bytes every connection sends, as one read-only table. Thread-safe after construction.
class BytePattern {
public:
    /// Period of the pattern: prime, so no power-of-two message size lines up with it.
    static constexpr std::size_t kPeriod = 65521;

    /// Builds the table; any span returned by at() may be up to max_span bytes long.
    explicit BytePattern(std::size_t max_span);

    /// The stream's bytes from offset on, for length bytes (length <= max_span).
    [[nodiscard]] std::span<const std::byte> at(std::uint64_t offset, std::size_t length) const noexcept;
    /// The index of the first byte in got that differs from the stream at offset; nullopt if all match.
    [[nodiscard]] std::optional<std::size_t> mismatch(std::uint64_t offset,
                                                      std::span<const std::byte> got) const;

private:
    std::vector<std::byte> table_;  // kPeriod bytes, then the first max_span of them again
};

}  // namespace netlab::bench
