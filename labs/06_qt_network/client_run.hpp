#pragma once
// This file shows:
//  - how a client program on Qt's loop ends: the first outcome decides the exit status, and what
//    the teardown signals after it (errorOccurred, disconnected) changes nothing;
//  - a library that never prints: the first error is kept for main to report once the loop is over;
//  - a progress deadline without a thread: a single-shot QTimer that runs only while the server
//    owes us something, restarted by every byte that moves, so an idle user never trips it.

#include <QTimer>

#include <chrono>
#include <functional>
#include <string>

namespace netlab::qt {

/// The end of one client run. Create it in main after the QCoreApplication; loop thread only.
class ClientRun {
public:
    /// owed() says what the server owes us now ("" when nothing). While it owes something, timeout
    /// without progress ends the run with status 1; a zero timeout never does.
    ClientRun(std::chrono::seconds timeout, std::function<std::string()> owed);
    ClientRun(const ClientRun&) = delete;
    ClientRun& operator=(const ClientRun&) = delete;

    /// Ends the loop with status and keeps error (empty for none) for error(). Only the first call counts.
    void finish(int status, const std::string& error = {});
    /// True once finish() has run.
    [[nodiscard]] bool finished() const noexcept { return finished_; }
    /// What the first finish() gave as its error: "" when none. Main prints it after the loop.
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    /// Call after every event: progress (bytes moved) restarts the deadline; otherwise it starts
    /// when the server begins to owe something and stops when it owes nothing.
    void watch(bool progress);

private:
    std::chrono::seconds timeout_;
    std::function<std::string()> owed_;
    QTimer stall_;
    bool finished_ = false;
    std::string error_;
};

}  // namespace netlab::qt
