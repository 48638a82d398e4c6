#pragma once
// A function run on its own thread, for a test that drives the other end of a socket meanwhile.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace netlab::testing {

/// Runs body on a thread from construction. The destructor calls stop if body is still running
/// (e.g. shuts its socket down so that a blocked call returns), then joins.
class BackgroundTask {
public:
    BackgroundTask(std::function<void()> body, std::function<void()> stop);
    ~BackgroundTask();
    BackgroundTask(const BackgroundTask&) = delete;
    BackgroundTask& operator=(const BackgroundTask&) = delete;

    /// True once body has returned or thrown; waits at most timeout.
    bool wait(std::chrono::milliseconds timeout);
    /// What body threw ("" if it returned normally or is still running).
    std::string error();
    /// What body threw, once it has finished (waiting at most timeout): for a failure message
    /// written right after body's failure woke the test, before its thread had stored the error.
    std::string error_when_done(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));
    /// The thread's pthread id, for pthread_kill.
    pthread_t native_handle() { return thread_.native_handle(); }

private:
    std::function<void()> stop_;
    std::mutex mutex_;
    std::condition_variable done_changed_;
    bool done_ = false;
    std::string error_;
    std::thread thread_;
};

}  // namespace netlab::testing
