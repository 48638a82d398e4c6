#include "bytes.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <sstream>

namespace netlab::testing {

std::string random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937 generator(seed);
    std::string bytes(n, '\0');
    for (auto& byte : bytes) {
        byte = static_cast<char>(generator() & 0xff);
    }
    return bytes;
}

namespace {

std::string hex_line(std::string_view bytes, std::size_t offset) {
    char head[32];
    std::snprintf(head, sizeof head, "%08zx ", offset);
    std::string line = head;
    for (std::size_t i = offset; i < offset + 16; ++i) {
        char cell[4];
        if (i < bytes.size()) {
            std::snprintf(cell, sizeof cell, " %02x", static_cast<unsigned char>(bytes[i]));
        } else {
            std::snprintf(cell, sizeof cell, "   ");
        }
        line += cell;
    }
    line += "  |";
    for (std::size_t i = offset; i < offset + 16 && i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        line += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
    }
    return line + "|";
}

}  // namespace

std::string describe_difference(std::string_view expected, std::string_view actual) {
    if (expected == actual) {
        return {};
    }
    const auto mismatch = std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
    const auto first = static_cast<std::size_t>(mismatch.first - expected.begin());
    std::ostringstream out;
    out << "expected " << expected.size() << " bytes, got " << actual.size()
        << " bytes; first difference at offset " << first << "\n";
    const std::size_t start = first >= 32 ? (first - 32) / 16 * 16 : 0;
    for (const auto& [label, bytes] : {std::pair{"expected", expected}, std::pair{"actual  ", actual}}) {
        out << label << ":\n";
        for (std::size_t row = start; row < start + 64 && row < std::max(bytes.size(), first + 1);
             row += 16) {
            out << "  " << hex_line(bytes, row)
                << (row <= first && first < row + 16 ? "  <-- differs here" : "") << "\n";
        }
    }
    return out.str();
}

::testing::AssertionResult BytesEqual(const char* expected_expr, const char* actual_expr,
                                      std::string_view expected, std::string_view actual) {
    if (expected == actual) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << actual_expr << " differs from " << expected_expr << ": "
                                         << describe_difference(expected, actual);
}

}  // namespace netlab::testing
