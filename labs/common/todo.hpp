#pragma once
// This file shows:
//  - how the generated starter fails loudly: every unwritten function throws
//    netlab::todo naming the lab and the function, so a test says exactly what is missing;
//  - netlab::unused(...) keeps the stub free of unused-parameter warnings until it is written.

#include <stdexcept>
#include <string>

namespace netlab {

/// Thrown by a starter stub that the learner has not written yet.
struct todo : std::logic_error {
    /// where is "labNN: function"; the message says it is not written yet.
    explicit todo(const std::string& where) : std::logic_error("TODO " + where + " is not written yet") {}
};

/// Marks the parameters a starter stub does not use yet, so the starter builds without warnings.
template <typename... Parameters>
constexpr void unused(const Parameters&... /*parameters*/) noexcept {}

}  // namespace netlab
