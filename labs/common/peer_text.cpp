#include "common/peer_text.hpp"

#include <cstdint>
#include <cstdio>

namespace netlab {
namespace {

/// One UTF-8 sequence at the front of text: its code point and length, or nullopt when the
/// first byte does not start a valid, shortest-form sequence of a Unicode scalar value.
struct Decoded {
    char32_t code_point;
    std::size_t length;
};

std::optional<Decoded> decode_one(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80) {
        return Decoded{lead, 1};
    }
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t smallest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, code_point = lead & 0x1Fu, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, code_point = lead & 0x0Fu, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, code_point = lead & 0x07u, smallest = 0x10000;
    } else {
        return std::nullopt;  // a continuation byte, or 0xF8..0xFF
    }
    if (text.size() < length) {
        return std::nullopt;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) {
            return std::nullopt;
        }
        code_point = (code_point << 6) | (byte(i) & 0x3Fu);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (code_point < smallest || code_point > 0x10FFFF || surrogate) {
        return std::nullopt;  // overlong, beyond Unicode, or half of a UTF-16 pair
    }
    return Decoded{code_point, length};
}

/// C0, DEL and C1 controls, and the format characters that reorder or break a line.
bool is_control_or_format(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void append_escape(std::string& out, char32_t c) {
    switch (c) {
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        case 0x1B:
            out += "\\e";
            return;
        default:
            break;
    }
    char buffer[16];
    const int n = c < 0x80 ? std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned>(c))
                           : std::snprintf(buffer, sizeof buffer, "\\u{%04X}", static_cast<unsigned>(c));
    out.append(buffer, static_cast<std::size_t>(n));
}

}  // namespace

std::string printable(std::string_view peer_text) {
    std::string out;
    out.reserve(peer_text.size());
    while (!peer_text.empty()) {
        const auto decoded = decode_one(peer_text);
        if (!decoded) {
            char buffer[8];
            const int n = std::snprintf(buffer, sizeof buffer, "\\x%02X",
                                        static_cast<unsigned>(static_cast<std::uint8_t>(peer_text[0])));
            out.append(buffer, static_cast<std::size_t>(n));
            peer_text.remove_prefix(1);
            continue;
        }
        if (decoded->code_point == '\\') {
            out += "\\\\";
        } else if (is_control_or_format(decoded->code_point)) {
            append_escape(out, decoded->code_point);
        } else {
            out.append(peer_text.substr(0, decoded->length));
        }
        peer_text.remove_prefix(decoded->length);
    }
    return out;
}

std::optional<std::string> name_problem(std::string_view name) {
    if (name.empty()) {
        return "the name is empty";
    }
    if (name.front() == ' ' || name.back() == ' ') {
        return "the name starts or ends with a space";
    }
    for (std::string_view rest = name; !rest.empty();) {
        const auto decoded = decode_one(rest);
        if (!decoded) {
            return "the name is not valid UTF-8";
        }
        if (is_control_or_format(decoded->code_point)) {
            return "the name holds a control character";
        }
        rest.remove_prefix(decoded->length);
    }
    return std::nullopt;
}

}  // namespace netlab
