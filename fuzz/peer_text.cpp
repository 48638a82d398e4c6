// This file shows:
//  - fuzzing an escaper against what it promises rather than against a copy of its code: the
//    output never holds a C0 control, DEL or a C1 control's UTF-8 encoding, whatever the bytes;
//  - the two functions agreeing: a name that name_problem() accepts prints unchanged (but for
//    doubled backslashes), and any text that printable() leaves alone holds nothing to refuse.
//
// Input: arbitrary bytes, taken both as peer text and as a name.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/peer_text.hpp"

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

bool has_backslash(std::string_view text) {
    return text.find('\\') != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string shown = netlab::printable(input);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const auto byte = static_cast<std::uint8_t>(shown[i]);
        require(byte >= 0x20 && byte != 0x7F);
        if (byte == 0xC2 && i + 1 < shown.size()) {
            const auto next = static_cast<std::uint8_t>(shown[i + 1]);
            require(next < 0x80 || next > 0x9F);
        }
    }
    const bool acceptable_name = !netlab::name_problem(input);
    if (acceptable_name && !has_backslash(input)) {
        require(shown == input);
    }
    if (shown == input && !input.empty() && input.front() != ' ' && input.back() != ' ') {
        require(acceptable_name);
    }
    return 0;
}
