#pragma once
// This file shows:
//  - how the generated starter fails loudly: every unwritten function throws
//    netlab::todo naming the lab and the function, so a test says exactly what is missing;
//  - netlab::unused(...) keeps the stub free of unused-parameter warnings until it is written.

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace netlab {

/// Thrown by a starter stub that the learner has not written yet.
struct todo : std::logic_error {
    /// where is "labNN: function"; the message says it is not written yet.
    explicit todo(const std::string& where) : std::logic_error("TODO " + where + " is not written yet") {}
};

/// What the stub of a noexcept function calls instead of throwing (a throw could only reach
/// std::terminate): says on stderr what is not written yet, then aborts.
[[noreturn]] inline void todo_abort(const char* where) noexcept {
    std::fprintf(stderr, "TODO %s is not written yet (a noexcept function: the test process aborts)\n",
                 where);
    std::abort();
}

/// Marks the parameters a starter stub does not use yet, so the starter builds without warnings.
template <typename... Parameters>
constexpr void unused(const Parameters&... /*parameters*/) noexcept {}

}  // namespace netlab
