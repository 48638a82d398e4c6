// This lab shows:
//  - a C log callback that may not call back into libevent: it only formats a line and hands it
//    to netlab::log::line, and no exception leaves it;
//  - a compile definition (NETLAB_LIBEVENT_DEBUG, set by the CMake option) that changes a default
//    at run time, rather than a flag that silently does nothing.

#include "05_libevent/event/debug_log.hpp"

#include <event2/event.h>

#include <string>

#include "common/log.hpp"

namespace netlab::libevent {
namespace {

const char* severity_name(int severity) {
    switch (severity) {
        case EVENT_LOG_DEBUG:
            return "debug";
        case EVENT_LOG_MSG:
            return "msg";
        case EVENT_LOG_WARN:
            return "warn";
        default:
            return "error";
    }
}

void write_log_line(int severity, const char* message) noexcept {
    try {
        log::line(std::string("libevent: [") + severity_name(severity) + "] " + message);
    } catch (...) {
        // Out of memory while logging: the line is lost; an exception must not cross libevent's frames.
    }
}

}  // namespace

void route_libevent_log(bool trace) {
    ::event_set_log_callback(&write_log_line);
    ::event_enable_debug_logging(trace ? EVENT_DBG_ALL : EVENT_DBG_NONE);
}

void enable_debug_mode() {
    ::event_enable_debug_mode();
}

bool debug_by_default() noexcept {
#ifdef NETLAB_LIBEVENT_DEBUG
    return true;
#else
    return false;
#endif
}

}  // namespace netlab::libevent
