#include "graded.hpp"

#include <iostream>
#include <map>

namespace netlab::testing {
namespace {

std::map<std::string, int>& registry() {
    static std::map<std::string, int> table;
    return table;
}

}  // namespace

int register_points(const char* suite, const char* name, int points) {
    registry()[std::string(suite) + "." + name] = points;
    return points;
}

int points_of(const std::string& suite, const std::string& name) {
    const auto it = registry().find(suite + "." + name);
    return it == registry().end() ? -1 : it->second;
}

void print_points_table() {
    for (const auto& [test, points] : registry()) {
        std::cout << test << '\t' << points << '\n';
    }
    std::cout << std::flush;
}

}  // namespace netlab::testing
