// This file shows:
//  - changing one flag without clobbering the others: read the flags, change the bit, write them
//    back, and skip the write when nothing changes.

#include "03_encapsulation/core/nonblocking.hpp"

#include <fcntl.h>

#include "common/check.hpp"

namespace netlab::core {

void set_nonblocking(int fd, bool on) {
    const int flags = check_syscall("fcntl", ::fcntl(fd, F_GETFL));
    const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (wanted != flags) {
        check_syscall("fcntl", ::fcntl(fd, F_SETFL, wanted));
    }
}

}  // namespace netlab::core
