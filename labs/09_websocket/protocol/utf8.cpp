// This file shows:
//  - the UTF-8 state machine as three numbers: how many continuation bytes are still due, and
//    the range the NEXT one must fall in (narrower than 80..BF only right after E0, ED, F0, F4,
//    which is exactly where overlong forms, surrogates and code points above U+10FFFF hide);
//  - an ASCII fast path: most chat text is ASCII, one compare per byte.

#include "09_websocket/protocol/utf8.hpp"

namespace netlab::websocket {

bool Utf8Validator::feed(std::span<const std::byte> bytes) noexcept {
    // BEGIN SOLUTION Utf8Validator::feed
    for (const std::byte raw : bytes) {
        if (!valid_) {
            return false;
        }
        const auto b = static_cast<std::uint8_t>(raw);
        if (needed_ > 0) {
            if (b < lower_ || b > upper_) {
                valid_ = false;
                return false;
            }
            --needed_;
            lower_ = 0x80;
            upper_ = 0xBF;
            continue;
        }
        if (b < 0x80) {
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            needed_ = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed_ = 2;
            if (b == 0xE0) {
                lower_ = 0xA0;  // E0 80..9F would be overlong (fits in two bytes)
            } else if (b == 0xED) {
                upper_ = 0x9F;  // ED A0..BF would be a UTF-16 surrogate, D800..DFFF
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed_ = 3;
            if (b == 0xF0) {
                lower_ = 0x90;  // F0 80..8F would be overlong
            } else if (b == 0xF4) {
                upper_ = 0x8F;  // F4 90.. would be above U+10FFFF
            }
        } else {
            valid_ = false;  // 80..C1 (stray continuation, overlong lead) or F5..FF
            return false;
        }
    }
    return valid_;
    // END SOLUTION
}

bool is_valid_utf8(std::span<const std::byte> bytes) noexcept {
    Utf8Validator validator;
    return validator.feed(bytes) && validator.complete();
}

}  // namespace netlab::websocket
