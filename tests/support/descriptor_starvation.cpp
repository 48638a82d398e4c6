#include "descriptor_starvation.hpp"

#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "deadline.hpp"
#include "process_usage.hpp"

namespace netlab::testing {
namespace {

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

bool limit_descriptors(ServerProcess& server, rlim_t limit) {
    const rlimit low{limit, limit};
    return ::prlimit(server.process.pid(), RLIMIT_NOFILE, &low, nullptr) == 0;
}

bool reports_out_of_descriptors(ServerProcess& server, std::chrono::milliseconds timeout) {
    return wait_until([&] { return server.log().find("Too many open files") != std::string::npos; }, timeout);
}

StarvedWatch watch_starved(ServerProcess& server, std::size_t flood_lines) {
    const std::size_t lines_before = line_count(server.log());
    const long ticks_before = cpu_ticks(server.process.pid());
    const auto start = Clock::now();
    const auto lines_added = [&] { return line_count(server.log()) - lines_before; };
    wait_until([&] { return lines_added() >= flood_lines || Clock::now() - start >= 1s; }, 2s);
    StarvedWatch watch;
    watch.cpu_ticks = cpu_ticks(server.process.pid()) - ticks_before;
    watch.log_lines = lines_added();
    watch.watched = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    const std::string log = server.log();
    watch.log_tail = log.substr(log.size() - std::min<std::size_t>(log.size(), 300));
    return watch;
}

void expect_idle(const StarvedWatch& watch, std::size_t flood_lines) {
    EXPECT_LT(watch.cpu_ticks, ::sysconf(_SC_CLK_TCK) / 2)
        << "the server used " << watch.cpu_ticks << " clock ticks in " << watch.watched.count() << " ms";
    EXPECT_LT(watch.log_lines, flood_lines) << "the server wrote " << watch.log_lines << " log lines within "
                                            << watch.watched.count() << " ms; the last: " << watch.log_tail;
}

}  // namespace netlab::testing
