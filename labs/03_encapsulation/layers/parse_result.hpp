#pragma once
// This file shows:
//  - the result every header parser in this lab returns: the fields, the bytes the header
//    carries, or a problem with a sentence that names the field and the numbers;
//  - a bad packet is an expected outcome for a parser, so it is a value, not an exception;
//    the result converts to true on success (explicit operator bool, as everywhere in netlab).

#include <cstdint>
#include <span>
#include <string>
#include <utility>

namespace netlab::layers {

/// Why a parser rejected its input.
enum class Problem : std::uint8_t {
    none,          ///< not a problem: the input parsed
    truncated,     ///< the bytes end before the header, or before a length a header field gives
    malformed,     ///< a field holds a value the protocol does not allow (version, IHL, a length...)
    bad_checksum,  ///< a checksum does not match the bytes it covers
    unsupported,   ///< maybe valid, but not decoded here (EtherType, IP protocol, fragment, link type)
};

/// The problem's name: "truncated", "malformed", "bad checksum", "unsupported" (or "none").
constexpr const char* to_string(Problem problem) noexcept {
    switch (problem) {
        case Problem::none:
            return "none";
        case Problem::truncated:
            return "truncated";
        case Problem::malformed:
            return "malformed";
        case Problem::bad_checksum:
            return "bad checksum";
        case Problem::unsupported:
            return "unsupported";
    }
    return "unknown problem";
}

/// What a header parser returns. header and payload are meaningful only when the result is true.
template <typename Header>
struct Parsed {
    Header header{};                     ///< the header's fields, in host byte order
    std::span<const std::byte> payload;  ///< what the header carries: a view into the parsed bytes
    Problem problem = Problem::none;     ///< why parsing failed, or none
    std::string error;                   ///< for humans: what was wrong, with the numbers; empty on success

    /// True when the input parsed.
    explicit operator bool() const noexcept { return problem == Problem::none; }
};

/// A failed Parsed<Header>: problem (never none) and the sentence explaining it.
template <typename Header>
Parsed<Header> failure(Problem problem, std::string error) {
    Parsed<Header> result;
    result.problem = problem;
    result.error = std::move(error);
    return result;
}

}  // namespace netlab::layers
