// This lab shows:
//  - why one thread is not enough: while we block in send(), nobody reads the echo, the
//    server blocks sending it, stops reading, and both sides wait forever;
//  - handing a thread's exception back to the caller (std::exception_ptr, rethrown after join);
//  - stopping a helper that may be blocked reading a terminal: it polls a cancel eventfd too.

#include "01_stream/echo_client.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <stdexcept>
#include <thread>

#include "01_stream/read_some.hpp"
#include "01_stream/send_all.hpp"
#include "common/check.hpp"
#include "common/unique_fd.hpp"

namespace netlab::stream {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

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

/// Copies input to the socket, then half-closes it. False if cancel became readable first.
bool upload(int socket, int input, int cancel) {
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
            return false;
        }
        const ssize_t got = ::read(input, buffer.data(), buffer.size());
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        check_syscall("read", got);
        if (got == 0) {
            check_syscall("shutdown", ::shutdown(socket, SHUT_WR));  // "that was all": the server sees EOF
            return true;
        }
        send_all(socket, std::span(buffer).first(static_cast<std::size_t>(got)));
    }
}

/// Copies the socket to output until end of stream.
void download(int socket, int output) {
    std::array<std::byte, kChunk> buffer;
    while (const ReadResult got = read_some(socket, buffer)) {
        write_all(output, std::span(buffer).first(got.size));
    }
}

}  // namespace

void echo_stream(int socket, int input, int output) {
    const UniqueFd cancel(check_syscall("eventfd", ::eventfd(0, EFD_CLOEXEC)));
    std::exception_ptr upload_error;
    bool uploaded = false;
    std::thread uploader([&] {
        try {
            uploaded = upload(socket, input, cancel.get());
        } catch (...) {
            upload_error = std::current_exception();
        }
    });

    std::exception_ptr download_error;
    try {
        download(socket, output);
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
