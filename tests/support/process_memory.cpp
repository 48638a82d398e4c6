#include "process_memory.hpp"

#include <fstream>
#include <sstream>

namespace netlab::testing {

std::optional<std::size_t> memory_kib(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with(field + ":")) {
            std::istringstream fields(line.substr(field.size() + 1));
            std::size_t kib = 0;
            if (fields >> kib) {
                return kib;
            }
        }
    }
    return std::nullopt;
}

}  // namespace netlab::testing
