#pragma once
// This file shows:
//  - one run's figures, and the two ways they leave the program: a short human summary,
//    and one JSON line for the harness (tools/bench.py) to parse.

#include <cstdint>
#include <string>

#include "latency_histogram.hpp"
#include "load_options.hpp"

namespace netlab::bench {

/// The figures of the measured window only (warm-up and the final drain are not counted).
struct LoadReport {
    Mode mode = Mode::pingpong;
    std::size_t connections = 0;
    std::size_t size = 0;
    double seconds = 0;                // wall time of the measured window
    std::uint64_t messages = 0;        // pingpong: round trips completed; bulk: echoed bytes / size
    std::uint64_t bytes = 0;           // bytes echoed back (one way) in the window
    std::uint64_t verified_bytes = 0;  // every byte echoed back and checked, whole run
    LatencyHistogram rtt;              // pingpong only: first byte sent to last byte back
    double cpu_user = 0;               // this process, in the window (getrusage)
    double cpu_system = 0;
};

/// CPU time this process has used so far (getrusage), in seconds.
struct CpuTimes {
    double user = 0;
    double system = 0;
};
/// Reads getrusage(RUSAGE_SELF); throws std::system_error("getrusage").
CpuTimes process_cpu_times();
/// Stores after - before into the report's cpu_user and cpu_system.
void set_cpu(LoadReport& report, const CpuTimes& before, const CpuTimes& after);

/// One line of JSON with every figure (rates, RTT p50/p99/max in microseconds, CPU share).
std::string to_json(const LoadReport& report);
/// A few aligned lines for a person.
std::string to_text(const LoadReport& report);

}  // namespace netlab::bench
