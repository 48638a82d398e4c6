#pragma once
// This file shows:
//  - curl_global_init done exactly once per process, by design: the first EasyHandle (or
//    MultiHandle) calls global_init(), which runs it inside a function-local static, which C++
//    guarantees to initialise once even when threads race to it;
//  - curl_global_cleanup at exit, after every handle made after it is gone (reverse order of
//    static destruction), never while another thread still uses libcurl.

namespace netlab::curl {

/// Initialises libcurl (curl_global_init) the first time; later calls do nothing. Thread-safe.
/// Throws CurlError if libcurl (or its TLS library) could not initialise.
void global_init();

}  // namespace netlab::curl
