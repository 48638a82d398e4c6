#pragma once
// This file shows:
//  - a duration option in decimal seconds ("0.5", "3"), checked as strictly as the integer ones.

#include <chrono>
#include <string>

#include "common/cli.hpp"

namespace netlab::bench {

/// The option as seconds in [min, max]; throws netlab::UsageError naming the option otherwise.
std::chrono::nanoseconds seconds_option(const CommandLine& args, const std::string& name, double min,
                                        double max);

}  // namespace netlab::bench
