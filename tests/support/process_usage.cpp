#include "process_usage.hpp"

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

long cpu_ticks(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(file, stat);
    const auto close_paren = stat.rfind(')');  // the command name may hold spaces: skip past it
    if (close_paren == std::string::npos) {
        return -1;
    }
    std::istringstream fields(stat.substr(close_paren + 2));
    std::string field;
    long utime = 0;
    for (int index = 3; fields >> field; ++index) {  // field 3 is the state; utime is 14, stime 15
        if (index == 14) {
            utime = std::stol(field);
        } else if (index == 15) {
            return utime + std::stol(field);
        }
    }
    return -1;
}

}  // namespace netlab::testing
