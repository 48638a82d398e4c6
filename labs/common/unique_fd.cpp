#include "unique_fd.hpp"

#include <fcntl.h>

#include "check.hpp"

namespace netlab {

UniqueFd UniqueFd::duplicate() const {
    return UniqueFd(check_syscall("fcntl", ::fcntl(fd_, F_DUPFD_CLOEXEC, 0)));
}

}  // namespace netlab
