#pragma once
// Lab 05's in-process tests: a loop run under a deadline that libevent itself enforces, a loop run
// for exactly one turn, and a socketpair to hand the wrapper.

#include <chrono>
#include <string>
#include <utility>

#include "05_libevent/event/event_base.hpp"
#include "common/unique_fd.hpp"

namespace netlab::testing {

/// Runs base's loop with a safety net: libevent itself stops it after limit, whatever the wrapper does.
/// Returns how long dispatch() took.
std::chrono::milliseconds dispatch_within(libevent::EventBase& base, std::chrono::milliseconds limit);

/// Runs one turn of base's loop: waits (at most limit) for events, runs the callbacks active then,
/// and returns. Rethrows the exception a callback threw, as dispatch() does.
void run_one_turn(libevent::EventBase& base, std::chrono::milliseconds limit);

/// A connected pair of AF_UNIX stream sockets: ours and the one handed to the wrapper.
std::pair<UniqueFd, UniqueFd> socket_pair();

/// Everything fd holds right now, without waiting (stops at EOF, an error or when nothing is left).
std::string receive_now(int fd);

}  // namespace netlab::testing
