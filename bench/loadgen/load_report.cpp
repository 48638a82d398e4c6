#include "load_report.hpp"

#include <sys/resource.h>

#include <cstdio>

#include "common/check.hpp"

namespace netlab::bench {

namespace {

double per_second(std::uint64_t count, double seconds) {
    return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

double micros(std::chrono::nanoseconds value) {
    return static_cast<double>(value.count()) / 1000.0;
}

double cpu_percent(const LoadReport& report) {
    return report.seconds > 0 ? 100.0 * (report.cpu_user + report.cpu_system) / report.seconds : 0.0;
}

const char* mode_name(Mode mode) {
    return mode == Mode::bulk ? "bulk" : "pingpong";
}

double seconds_of(const timeval& value) {
    return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
}

}  // namespace

CpuTimes process_cpu_times() {
    rusage usage{};
    check_syscall("getrusage", ::getrusage(RUSAGE_SELF, &usage));
    return {seconds_of(usage.ru_utime), seconds_of(usage.ru_stime)};
}

void set_cpu(LoadReport& report, const CpuTimes& before, const CpuTimes& after) {
    report.cpu_user = after.user - before.user;
    report.cpu_system = after.system - before.system;
}

std::string to_json(const LoadReport& report) {
    char line[768];
    std::snprintf(
        line, sizeof line,
        "{\"mode\":\"%s\",\"connections\":%zu,\"size\":%zu,\"seconds\":%.4f,"
        "\"messages\":%llu,\"bytes\":%llu,\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,"
        "\"rtt_samples\":%llu,\"rtt_p50_us\":%.2f,\"rtt_p99_us\":%.2f,\"rtt_max_us\":%.2f,"
        "\"cpu_user_s\":%.4f,\"cpu_sys_s\":%.4f,\"cpu_percent\":%.1f,\"verified_bytes\":%llu}",
        mode_name(report.mode), report.connections, report.size, report.seconds,
        static_cast<unsigned long long>(report.messages), static_cast<unsigned long long>(report.bytes),
        per_second(report.messages, report.seconds), per_second(report.bytes, report.seconds) / 1e6,
        static_cast<unsigned long long>(report.rtt.count()), micros(report.rtt.percentile(0.50)),
        micros(report.rtt.percentile(0.99)), micros(report.rtt.max()), report.cpu_user, report.cpu_system,
        cpu_percent(report), static_cast<unsigned long long>(report.verified_bytes));
    return line;
}

std::string to_text(const LoadReport& report) {
    char text[1024];
    int used = std::snprintf(text, sizeof text,
                             "%s, %zu connection(s), %zu-byte %s, %.2f s measured\n"
                             "  %-13s %llu (%.0f/s)\n"
                             "  %-13s %llu (%.2f MB/s one way)\n",
                             mode_name(report.mode), report.connections, report.size,
                             report.mode == Mode::bulk ? "writes" : "messages", report.seconds,
                             report.mode == Mode::bulk ? "chunks back" : "round trips",
                             static_cast<unsigned long long>(report.messages),
                             per_second(report.messages, report.seconds), "echoed bytes",
                             static_cast<unsigned long long>(report.bytes),
                             per_second(report.bytes, report.seconds) / 1e6);
    if (report.rtt.count() > 0 && used > 0) {
        used += std::snprintf(text + used, sizeof text - static_cast<std::size_t>(used),
                              "  %-13s p50 %.1f us, p99 %.1f us, max %.1f us\n", "RTT",
                              micros(report.rtt.percentile(0.50)), micros(report.rtt.percentile(0.99)),
                              micros(report.rtt.max()));
    }
    if (used > 0) {
        std::snprintf(text + used, sizeof text - static_cast<std::size_t>(used),
                      "  %-13s user %.2f s + system %.2f s = %.0f%% of one core\n"
                      "  %-13s every echoed byte matched (%llu bytes in the whole run)\n",
                      "own CPU", report.cpu_user, report.cpu_system, cpu_percent(report), "verified",
                      static_cast<unsigned long long>(report.verified_bytes));
    }
    return text;
}

}  // namespace netlab::bench
