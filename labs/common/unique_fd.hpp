#pragma once
// This file shows:
//  - RAII for a file descriptor: exactly one owner closes it, exactly once;
//  - move-only ownership (copying a handle would mean a double close);
//  - sharing only through a named call, duplicate().

#include <unistd.h>

#include <utility>

namespace netlab {

/// Owns one file descriptor and closes it on destruction. Move-only; not thread-safe.
class UniqueFd {
public:
    UniqueFd() noexcept = default;
    /// Takes ownership of fd (which may be -1 for "none").
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd() { reset(); }

    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset(other.release());
        }
        return *this;
    }

    /// The raw descriptor, still owned by this object; -1 when empty.
    [[nodiscard]] int get() const noexcept { return fd_; }
    /// True when a descriptor is held.
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives up ownership without closing; the caller must close the result.
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the held descriptor (errors from close are ignored) and takes fd instead.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }
    /// A second owner of the same open file (dup with FD_CLOEXEC); throws std::system_error("fcntl").
    [[nodiscard]] UniqueFd duplicate() const;

private:
    int fd_ = -1;
};

}  // namespace netlab
