#pragma once
// This file shows:
//  - raising RLIMIT_NOFILE's soft limit toward the hard one, so N connections fit.

#include <cstddef>

namespace netlab::bench {

/// Makes room for count more descriptors (plus a margin); throws std::system_error("setrlimit").
void ensure_descriptors(std::size_t count);

}  // namespace netlab::bench
