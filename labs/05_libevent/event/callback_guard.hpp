#pragma once
// This file shows:
//  - why a C++ exception must never unwind through a C library's frames: libevent would be left
//    half-way through its own bookkeeping (or std::terminate runs);
//  - the fix every wrapper here uses: catch in the trampoline, stop the loop (loopbreak), and let
//    EventBase::dispatch() rethrow on the thread that called it.

#include <event2/event.h>

#include <exception>
#include <utility>

namespace netlab::libevent::detail {

/// Keeps the first exception thrown by a callback on this thread (callbacks run on the thread that
/// runs the loop, so a thread_local slot is exactly "this loop's slot").
void remember_failure(std::exception_ptr failure) noexcept;

/// The exception a callback threw since the last call, or null; clears the slot.
std::exception_ptr take_failure() noexcept;

/// Runs body for a C trampoline. If it throws, the exception is kept for EventBase::dispatch()
/// and the loop of base is broken. body may destroy the object that owns it, as long as it
/// touches nothing of that object afterwards; run_guarded itself touches nothing after body.
template <typename Body>
void run_guarded(event_base* base, Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
    } catch (...) {
        remember_failure(std::current_exception());
        ::event_base_loopbreak(base);
    }
}

}  // namespace netlab::libevent::detail
