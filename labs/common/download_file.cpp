#include "download_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "check.hpp"

namespace netlab {
namespace {

/// What is at a download's path now, and what commit() would replace.
struct Examined {
    DownloadMode mode = DownloadMode::replace;
    std::string target;      // replace: the file to replace (a link's target when path is a link)
    mode_t permissions = 0;  // replace: the replaced file's permission bits
    bool exists = false;     // replace: whether there is a file to replace
};

[[noreturn]] void fail(int error, const std::string& call, const std::string& path) {
    throw std::system_error(error, std::system_category(), call + " " + path);
}

/// The file an O_PATH descriptor names, as the kernel resolved it.
std::string resolved_path(int fd, const std::string& path) {
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    std::string target(PATH_MAX, '\0');
    const ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
    if (n < 0 || static_cast<std::size_t>(n) == target.size()) {
        fail(n < 0 ? errno : ENAMETOOLONG, "readlink", link + " (for " + path + ")");
    }
    target.resize(static_cast<std::size_t>(n));
    return target;
}

Examined examine(const std::string& path) {
    if (path == "-") {
        return {DownloadMode::standard_output, "", 0, false};
    }
    if (path.empty() || path.back() == '/') {
        fail(EISDIR, "open", path);
    }
    // O_PATH follows a link as any open() would, so the kernel's rules still apply (a link
    // planted in a sticky folder is refused when fs.protected_symlinks is on); it opens nothing,
    // so a FIFO does not wait for a reader here.
    const UniqueFd probe(::open(path.c_str(), O_PATH | O_CLOEXEC));
    const int open_error = errno;
    struct stat link {};
    const bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    if (!probe) {
        if (open_error != ENOENT) {
            fail(open_error, "open", path);
        }
        if (is_link) {  // creating a file through a dangling link is how planted links do harm
            throw std::system_error(ENOENT, std::system_category(),
                                    "open " + path + ": a symbolic link to nothing, not followed");
        }
        return {DownloadMode::replace, path, 0, false};
    }
    struct stat info {};
    check_syscall("fstat", ::fstat(probe.get(), &info));
    if (S_ISDIR(info.st_mode)) {
        fail(EISDIR, "open", path);
    }
    if (!S_ISREG(info.st_mode)) {
        return {DownloadMode::direct, path, 0, false};
    }
    return {DownloadMode::replace, is_link ? resolved_path(probe.get(), path) : path, info.st_mode & 0777,
            true};
}

/// Creates ".NAME.XXXXXX" beside target: O_EXCL never opens what is there, a link included.
UniqueFd create_temporary(const std::string& target, std::string& temporary) {
    const std::size_t slash = target.rfind('/');
    const std::string folder = slash == std::string::npos ? "" : target.substr(0, slash + 1);
    const std::string name = target.substr(slash == std::string::npos ? 0 : slash + 1);
    constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device random;
    std::uniform_int_distribution<std::size_t> pick(0, kLetters.size() - 1);
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string suffix(6, '\0');
        for (char& letter : suffix) {
            letter = kLetters[pick(random)];
        }
        temporary = folder + "." + name.substr(0, NAME_MAX - 8) + "." + suffix;
        // 0666 less the umask: the mode fopen() (and so curl) gives a new file.
        UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
        if (fd) {
            return fd;
        }
        if (errno != EEXIST) {
            fail(errno, "open", temporary);
        }
    }
    fail(EEXIST, "open", temporary);
}

}  // namespace

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::system_category(), "write");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

DownloadMode download_mode(const std::string& path) {
    return examine(path).mode;
}

DownloadFile::DownloadFile(const std::string& path) {
    Examined what = examine(path);
    mode_ = what.mode;
    target_ = std::move(what.target);
    if (mode_ == DownloadMode::direct) {
        fd_.reset(::open(target_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC));
        if (!fd_) {
            fail(errno, "open", target_);
        }
        struct stat info {};
        check_syscall("fstat", ::fstat(fd_.get(), &info));
        if (S_ISREG(info.st_mode)) {  // replaced by a regular file since examine(): never write one in place
            fail(EAGAIN, "open", target_ + " (it became a regular file while it was opened)");
        }
    } else if (mode_ == DownloadMode::replace) {
        fd_ = create_temporary(target_, temporary_);
        if (what.exists && ::fchmod(fd_.get(), what.permissions) < 0) {  // keep the replaced file's mode
            const int error = errno;
            const std::string name = temporary_;
            discard();
            fail(error, "fchmod", name);
        }
    }
}

DownloadFile::~DownloadFile() {
    discard();
}

DownloadFile::DownloadFile(DownloadFile&& other) noexcept
    : mode_(other.mode_),
      target_(std::move(other.target_)),
      temporary_(std::exchange(other.temporary_, {})),
      fd_(std::move(other.fd_)) {}

DownloadFile& DownloadFile::operator=(DownloadFile&& other) noexcept {
    if (this != &other) {
        discard();
        mode_ = other.mode_;
        target_ = std::move(other.target_);
        temporary_ = std::exchange(other.temporary_, {});
        fd_ = std::move(other.fd_);
    }
    return *this;
}

void DownloadFile::discard() noexcept {
    fd_.reset();
    if (!temporary_.empty()) {
        ::unlink(temporary_.c_str());
        temporary_.clear();
    }
}

void DownloadFile::write(std::string_view bytes) {
    if (mode_ == DownloadMode::standard_output) {
        write_all(STDOUT_FILENO, bytes);
        return;
    }
    if (!fd_) {
        throw std::logic_error("DownloadFile::write after commit()");
    }
    write_all(fd_.get(), bytes);
}

void DownloadFile::commit() {
    if (mode_ == DownloadMode::standard_output) {
        return;
    }
    if (!fd_) {
        throw std::logic_error("DownloadFile::commit called twice");
    }
    const std::string& written = mode_ == DownloadMode::replace ? temporary_ : target_;
    if (mode_ == DownloadMode::replace && ::fsync(fd_.get()) < 0) {  // the bytes on disk before the name
        fail(errno, "fsync", written);
    }
    if (::close(fd_.release()) < 0) {  // close can report a delayed write error (NFS, quotas)
        fail(errno, "close", written);
    }
    if (mode_ == DownloadMode::replace) {
        if (::rename(temporary_.c_str(), target_.c_str()) < 0) {
            fail(errno, "rename", temporary_ + " to " + target_);
        }
        temporary_.clear();
    }
}

}  // namespace netlab
