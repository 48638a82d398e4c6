#include "05_libevent/event/callback_guard.hpp"

namespace netlab::libevent::detail {
namespace {

thread_local std::exception_ptr pending_failure;

}  // namespace

void remember_failure(std::exception_ptr failure) noexcept {
    if (!pending_failure) {
        pending_failure = std::move(failure);
    }
}

std::exception_ptr take_failure() noexcept {
    return std::exchange(pending_failure, nullptr);
}

}  // namespace netlab::libevent::detail
