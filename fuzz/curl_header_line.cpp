// Lab 07's header-line parser on arbitrary bytes, as libcurl's header callback would hand them
// over (not NUL-terminated: the fuzzer's buffer ends exactly at size). It must never crash or
// read past the line, and what it accepts must be well formed.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "07_libcurl/header_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const netlab::curl::HeaderLine parsed = netlab::curl::parse_header_line(line);
    switch (parsed.kind) {
        case netlab::curl::LineKind::status:
            if (parsed.status < 0 || parsed.status > 999) {
                std::abort();
            }
            break;
        case netlab::curl::LineKind::field:
            if (parsed.name.empty() || parsed.name.find(':') != std::string_view::npos ||
                parsed.value.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos ||
                (!parsed.value.empty() && (parsed.value.front() == ' ' || parsed.value.back() == ' '))) {
                std::abort();
            }
            break;
        case netlab::curl::LineKind::end:
            if (size > 2) {
                std::abort();
            }
            break;
        case netlab::curl::LineKind::malformed:
            break;
    }
    return 0;
}
