#pragma once
// This file shows:
//  - libevent's two debug switches, both at run time: debug MODE (event_enable_debug_mode: checks
//    for API misuse such as adding an event that was never set up; call it before anything else
//    of libevent) and debug LOGGING (event_enable_debug_logging: libevent's own trace lines);
//  - event_set_log_callback: libevent's warnings and trace lines go to the program's log
//    (netlab::log), not to a bare fprintf inside the library.
// Why the course's old advice did nothing: -DUSE_DEBUG handed to target_link_libraries is not a
// link flag, and USE_DEBUG only matters while compiling libevent itself. Debian's libevent already
// carries its debug lines; they only need turning on, which is what these calls do.

namespace netlab::libevent {

/// Sends libevent's log messages to netlab::log::line as "libevent: [warn] ..." lines. With trace
/// on, every libevent debug line too (event_enable_debug_logging(EVENT_DBG_ALL)).
/// Call from main before starting the loop; affects the whole process.
void route_libevent_log(bool trace);

/// event_enable_debug_mode(): libevent then checks every event call for misuse (and costs some
/// speed). Must run before any event_base or event exists, at most once per process.
void enable_debug_mode();

/// True when the build turned the debug switch on by default (CMake -DNETLAB_LIBEVENT_DEBUG=ON).
bool debug_by_default() noexcept;

}  // namespace netlab::libevent
