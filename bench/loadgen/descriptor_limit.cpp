#include "descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

#include "common/check.hpp"

namespace netlab::bench {

void ensure_descriptors(std::size_t count) {
    rlimit limit{};
    check_syscall("getrlimit", ::getrlimit(RLIMIT_NOFILE, &limit));
    const rlim_t wanted = static_cast<rlim_t>(count) + 64;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        check_syscall("setrlimit", ::setrlimit(RLIMIT_NOFILE, &limit));
    }
}

}  // namespace netlab::bench
