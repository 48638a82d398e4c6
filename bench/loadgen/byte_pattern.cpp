#include "byte_pattern.hpp"

#include <cstring>

namespace netlab::bench {

BytePattern::BytePattern(std::size_t max_span) : table_(kPeriod + max_span) {
    std::uint32_t state = 0x9E3779B9U;  // xorshift32: cheap, and no short repeats
    for (std::size_t i = 0; i < kPeriod; ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        table_[i] = static_cast<std::byte>(state >> 24);
    }
    for (std::size_t i = kPeriod; i < table_.size(); ++i) {
        table_[i] = table_[i % kPeriod];
    }
}

std::span<const std::byte> BytePattern::at(std::uint64_t offset, std::size_t length) const noexcept {
    return std::span(table_).subspan(static_cast<std::size_t>(offset % kPeriod), length);
}

std::optional<std::size_t> BytePattern::mismatch(std::uint64_t offset, std::span<const std::byte> got) const {
    const auto expected = at(offset, got.size());
    if (std::memcmp(expected.data(), got.data(), got.size()) == 0) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (expected[i] != got[i]) {
            return i;
        }
    }
    return std::nullopt;
}

}  // namespace netlab::bench
