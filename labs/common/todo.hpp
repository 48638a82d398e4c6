#pragma once
// This file shows:
//  - how the generated starter fails loudly: every unwritten function throws
//    netlab::todo naming the lab and the function, so a test says exactly what is missing;
//  - netlab::unused(...) keeps the stub free of unused-parameter warnings until it is written.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

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

/// True when the environment variable NETLAB_SWITCH_OFF names where ("labNN: function"), alone or
/// in a comma-separated list. Only a tree made by `make_starter.py --switch` calls it, at the top of
/// each region: tools/check_regions.py switches one region off at a time to prove that some graded
/// test notices; switching off several shows which rows a test needs.
inline bool switched_off(const char* where) noexcept {
    static const char* const off = std::getenv("NETLAB_SWITCH_OFF");
    if (off == nullptr) {
        return false;
    }
    const std::string_view list(off);
    for (std::size_t start = 0; start <= list.size();) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        if (list.substr(start, end - start) == where) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

/// Marks the parameters a starter stub does not use yet, so the starter builds without warnings.
template <typename... Parameters>
constexpr void unused(const Parameters&... /*parameters*/) noexcept {}

}  // namespace netlab
