#include "shutdown_signal.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>

#include <cerrno>

#include "check.hpp"

namespace netlab {
namespace {

sigset_t shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

ShutdownSignal::ShutdownSignal() {
    const sigset_t set = shutdown_signals();
    if (const int rc = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
        throw std::system_error(rc, std::system_category(), "pthread_sigmask");
    }
    fd_.reset(check_syscall("signalfd", ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)));
}

bool ShutdownSignal::requested() const {
    pollfd entry{fd_.get(), POLLIN, 0};
    return check_syscall("poll", ::poll(&entry, 1, 0)) > 0;
}

bool ShutdownSignal::wait_readable(int fd) const {
    pollfd entries[2] = {{fd, POLLIN, 0}, {fd_.get(), POLLIN, 0}};
    for (;;) {
        const int rc = ::poll(entries, 2, -1);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        check_syscall("poll", rc);
        if (entries[1].revents != 0) {
            return false;
        }
        if (entries[0].revents != 0) {
            return true;
        }
    }
}

}  // namespace netlab
