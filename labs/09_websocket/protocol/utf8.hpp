#pragma once
// This file shows:
//  - validating UTF-8 incrementally: a text message may arrive in fragments that split a
//    character anywhere, so the validator keeps its state between pieces and fails on the first
//    impossible byte (RFC 6455 8.1: fail fast, close with 1007);
//  - what "valid" means (RFC 3629): no overlong forms (C0 80 for '/'), no UTF-16 surrogates
//    (ED A0 80..ED BF BF), nothing above U+10FFFF (F4 90 ..), no stray continuation bytes.

#include <cstddef>
#include <cstdint>
#include <span>

namespace netlab::websocket {

/// A UTF-8 checker fed in pieces. Not thread-safe; cheap to copy.
class Utf8Validator {
public:
    /// Checks the next bytes; false once any byte so far was impossible (sticky until reset()).
    bool feed(std::span<const std::byte> bytes) noexcept;
    /// True when every byte so far was valid and no character is left unfinished.
    [[nodiscard]] bool complete() const noexcept { return valid_ && needed_ == 0; }
    /// True while no impossible byte was seen (a character may still be unfinished).
    [[nodiscard]] bool valid() const noexcept { return valid_; }
    /// Starts over, for the next message.
    void reset() noexcept { *this = Utf8Validator{}; }

private:
    std::uint8_t needed_ = 0;    // continuation bytes the current character still needs
    std::uint8_t lower_ = 0x80;  // the next continuation byte must lie in [lower_, upper_]
    std::uint8_t upper_ = 0xBF;
    bool valid_ = true;
};

/// True if bytes are complete, valid UTF-8.
bool is_valid_utf8(std::span<const std::byte> bytes) noexcept;

}  // namespace netlab::websocket
