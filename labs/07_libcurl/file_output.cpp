#include "07_libcurl/file_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace netlab::curl {

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

FileOutput::FileOutput(std::string path)
    : path_(std::move(path)),
      part_path_(path_ + ".part"),
      fd_(::open(part_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    if (!fd_) {
        throw std::system_error(errno, std::system_category(), "open " + part_path_);
    }
}

FileOutput::~FileOutput() {
    if (!committed_) {
        ::unlink(part_path_.c_str());
    }
}

void FileOutput::write(std::string_view chunk) {
    write_all(fd_.get(), chunk);
}

void FileOutput::commit() {
    if (::close(fd_.release()) < 0) {  // close can report a delayed write error (NFS, quotas)
        throw std::system_error(errno, std::system_category(), "close " + part_path_);
    }
    if (::rename(part_path_.c_str(), path_.c_str()) < 0) {
        throw std::system_error(errno, std::system_category(), "rename " + part_path_);
    }
    committed_ = true;
}

}  // namespace netlab::curl
