#pragma once
// This file shows:
//  - the hand-off that keeps paho's callback thread free: the callback only pushes (a lock held for
//    a few instructions, never a wait), and our own thread pops with a deadline;
//  - an expected outcome (nothing arrived in time) as std::nullopt, not an exception.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace netlab::mqtt {

/// A thread-safe FIFO: any thread pushes without blocking, one consumer pops with a timeout.
template <typename T>
class MessageQueue {
public:
    /// Appends item and wakes a waiting pop. Never blocks beyond the short lock.
    void push(T item) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(std::move(item));
        }
        ready_.notify_one();
    }

    /// The oldest item, or nullopt if none arrives within timeout.
    std::optional<T> pop(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!ready_.wait_for(lock, timeout, [this] { return !items_.empty(); })) {
            return std::nullopt;
        }
        T item = std::move(items_.front());
        items_.pop_front();
        return item;
    }

    /// Items waiting right now.
    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<T> items_;
};

}  // namespace netlab::mqtt
