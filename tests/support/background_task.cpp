#include "background_task.hpp"

#include <exception>
#include <utility>

namespace netlab::testing {

BackgroundTask::BackgroundTask(std::function<void()> body, std::function<void()> stop)
    : stop_(std::move(stop)) {
    thread_ = std::thread([this, body = std::move(body)] {
        std::string error;
        try {
            body();
        } catch (const std::exception& e) {
            error = e.what();
            if (error.empty()) {
                error = "an exception with an empty message";
            }
        } catch (...) {
            error = "an exception that is not a std::exception";
        }
        const std::lock_guard lock(mutex_);
        error_ = std::move(error);
        done_ = true;
        done_changed_.notify_all();
    });
}

BackgroundTask::~BackgroundTask() {
    if (!wait(std::chrono::milliseconds(0)) && stop_) {
        stop_();
    }
    thread_.join();
}

bool BackgroundTask::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return done_changed_.wait_for(lock, timeout, [this] { return done_; });
}

std::string BackgroundTask::error() {
    const std::lock_guard lock(mutex_);
    return error_;
}

std::string BackgroundTask::error_when_done(std::chrono::milliseconds timeout) {
    wait(timeout);
    return error();
}

}  // namespace netlab::testing
