#pragma once
// This file shows:
//  - one check per installed library, each against something it serves itself on 127.0.0.1, so
//    no broker, web server or network is needed;
//  - a failed check as an exception whose message says what went wrong, and a deadline on every
//    step that could wait.

#include <chrono>

namespace netlab::consumer {

/// How long any one step may wait.
inline constexpr std::chrono::milliseconds kStepDeadline{5000};

/// netlab::core: a framed message sent through a one-shot echo server comes back equal.
void check_core_frame_echo();
/// netlab::libevent: a timer fires on an event base, and the loop stops by itself.
void check_libevent_timer();
/// netlab::curl: a GET of a one-shot HTTP server gets its status and body.
void check_curl_get();
/// netlab::mqtt: the topic rules accept a good name and filter and refuse a bad filter.
void check_mqtt_topics();

}  // namespace netlab::consumer
