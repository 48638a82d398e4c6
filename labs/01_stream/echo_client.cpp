// This lab shows:
//  - why one thread is not enough: while we block in send(), nobody reads the echo, the
//    server blocks sending it, stops reading, and both sides wait forever;
//  - handing a thread's exception back to the caller (std::exception_ptr, rethrown after join);
//  - stopping a helper that may be blocked reading a terminal: it polls a cancel eventfd too;
//  - SO_SNDTIMEO/SO_RCVTIMEO: a blocked send() or recv() gives up with EAGAIN after the timeout.
//    A send that times out means the server stopped reading; a recv that times out matters only
//    once all input went out (before that, the server may simply have nothing to echo yet).

#include "01_stream/echo_client.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "01_stream/read_some.hpp"
#include "01_stream/send_all.hpp"
#include "common/check.hpp"
#include "common/unique_fd.hpp"

namespace netlab::stream {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

/// True for the EAGAIN a blocking call returns when its SO_SNDTIMEO or SO_RCVTIMEO ran out.
bool timed_out(const std::system_error& error) {
    return error.code() == std::errc::resource_unavailable_try_again ||
           error.code() == std::errc::operation_would_block;
}

std::runtime_error no_progress(std::chrono::seconds timeout, const std::string& what) {
    return std::runtime_error("no progress for " + std::to_string(timeout.count()) + " s: " + what);
}

/// Bounds every later send() and recv() on socket to timeout (0: no bound).
void set_io_timeouts(int socket, std::chrono::seconds timeout) {
    const timeval limit{static_cast<time_t>(timeout.count()), 0};
    check_syscall("setsockopt SO_SNDTIMEO",
                  ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit));
    check_syscall("setsockopt SO_RCVTIMEO",
                  ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit));
}

/// write() for files and pipes: loops over short writes and EINTR; throws std::system_error("write").
void write_all(int fd, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        check_syscall("write", written);
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
}

/// Copies input to the socket, then half-closes it and sets uploaded. Returns early, uploaded
/// still false, if cancel becomes readable first.
void upload(int socket, int input, int cancel, std::atomic<bool>& uploaded) {
    std::array<std::byte, kChunk> buffer;
    for (;;) {
        pollfd entries[2] = {{input, POLLIN, 0}, {cancel, POLLIN, 0}};
        if (::poll(entries, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("poll");
        }
        if (entries[1].revents != 0) {
            return;
        }
        const ssize_t got = ::read(input, buffer.data(), buffer.size());
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        check_syscall("read", got);
        if (got == 0) {
            check_syscall("shutdown", ::shutdown(socket, SHUT_WR));  // "that was all": the server sees EOF
            uploaded = true;
            return;
        }
        send_all(socket, std::span(buffer).first(static_cast<std::size_t>(got)));
    }
}

/// Copies the socket to output until end of stream. A recv that times out is an error only if all
/// input had gone out before it started: then the server owed us bytes for the whole wait.
void download(int socket, int output, const std::atomic<bool>& uploaded, std::chrono::seconds timeout) {
    std::array<std::byte, kChunk> buffer;
    for (;;) {
        const bool owed = uploaded;
        ReadResult got;
        try {
            got = read_some(socket, buffer);
        } catch (const std::system_error& error) {
            if (!timed_out(error)) {
                throw;
            }
            if (owed) {
                throw no_progress(timeout, "the server sent neither more echo nor end of stream");
            }
            continue;
        }
        if (!got) {
            return;
        }
        write_all(output, std::span(buffer).first(got.size));
    }
}

}  // namespace

void echo_stream(int socket, int input, int output, std::chrono::seconds progress_timeout) {
    set_io_timeouts(socket, progress_timeout);
    const UniqueFd cancel(check_syscall("eventfd", ::eventfd(0, EFD_CLOEXEC)));
    std::exception_ptr upload_error;
    std::atomic<bool> uploaded = false;
    std::thread uploader([&] {
        try {
            upload(socket, input, cancel.get(), uploaded);
        } catch (const std::system_error& error) {
            upload_error =
                timed_out(error)
                    ? std::make_exception_ptr(no_progress(progress_timeout, "the server is not reading"))
                    : std::current_exception();
            ::shutdown(socket, SHUT_RDWR);  // wake the download: it reads EOF, and this error is reported
        } catch (...) {
            upload_error = std::current_exception();
            ::shutdown(socket, SHUT_RDWR);
        }
    });

    std::exception_ptr download_error;
    try {
        download(socket, output, uploaded, progress_timeout);
    } catch (...) {
        download_error = std::current_exception();
    }
    // The reply is over. If the uploader is still waiting for input, or stuck in send() to a
    // server that stopped reading, wake it; after a normal end this changes nothing.
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(cancel.get(), &one, sizeof one);
    ::shutdown(socket, SHUT_RDWR);
    uploader.join();

    if (download_error) {
        std::rethrow_exception(download_error);
    }
    if (upload_error) {
        std::rethrow_exception(upload_error);
    }
    if (!uploaded) {
        throw std::runtime_error("the server ended the stream before all input was sent");
    }
}

}  // namespace netlab::stream
