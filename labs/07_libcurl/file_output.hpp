#pragma once
// This file shows:
//  - a body sink that streams to a file at constant memory: each chunk is written before
//    libcurl reads more from the socket, so a 100 MiB body never sits in our memory;
//  - a download that is either complete or absent: the bytes go to FILE.part, which becomes
//    FILE (rename, atomic) only on commit(); a failed transfer leaves no FILE behind.

#include <string>
#include <string_view>

#include "common/unique_fd.hpp"

namespace netlab::curl {

/// Writes all of bytes to fd, looping over short writes and EINTR; throws std::system_error("write").
void write_all(int fd, std::string_view bytes);

/// A file being downloaded. Not thread-safe; one per transfer.
class FileOutput {
public:
    /// Creates path + ".part" (truncating it); throws std::system_error("open").
    explicit FileOutput(std::string path);
    /// Removes the .part file unless commit() ran.
    ~FileOutput();
    FileOutput(const FileOutput&) = delete;
    FileOutput& operator=(const FileOutput&) = delete;

    /// Appends one chunk; throws std::system_error("write") (e.g. the disk is full).
    void write(std::string_view chunk);
    /// Closes the file and renames it to its final path; throws std::system_error("close"/"rename").
    void commit();

private:
    std::string path_;
    std::string part_path_;
    UniqueFd fd_;
    bool committed_ = false;
};

}  // namespace netlab::curl
