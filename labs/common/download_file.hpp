#pragma once
// This file shows:
//  - a download that is either complete or absent: a regular FILE is written through a
//    temporary created beside it with O_CREAT|O_EXCL|O_NOFOLLOW (".FILE.XXXXXX"), then renamed
//    over FILE on commit(); no neighbour is followed or clobbered (a planted FILE.part symlink,
//    the user's own FILE.part), and the destructor removes the temporary of a failed transfer;
//  - special files written where they are: "-" is standard output, a FIFO or a device is
//    opened and written in place (a rename would replace /dev/null with a regular file);
//  - a symbolic link at FILE followed by the kernel, as curl and the shell's > follow it: the
//    file it points to is replaced, the link stays; a link to nothing is refused.

#include <string>
#include <string_view>

#include "unique_fd.hpp"

namespace netlab {

/// Writes all of bytes to fd, looping over short writes and EINTR; throws std::system_error("write").
void write_all(int fd, std::string_view bytes);

/// How a DownloadFile reaches its path.
enum class DownloadMode {
    standard_output,  ///< "-": descriptor 1, written as it is
    direct,           ///< a FIFO or a device: opened and written in place, nothing to rename
    replace,          ///< a regular file, or nothing yet: a temporary beside it, renamed over it on commit()
};

/// The mode DownloadFile(path) would choose now. Throws std::system_error for a directory, a
/// link to nothing or a path it cannot examine ("open PATH").
DownloadMode download_mode(const std::string& path);

/// Where one download's body goes. Move-only; one thread at a time.
class DownloadFile {
public:
    /// Opens path as download_mode says: creates the temporary, or opens the special file for
    /// writing (a FIFO waits for its reader). Throws std::system_error naming the call and the path.
    explicit DownloadFile(const std::string& path);
    /// Removes the temporary unless commit() ran. Never throws.
    ~DownloadFile();
    DownloadFile(DownloadFile&& other) noexcept;
    DownloadFile& operator=(DownloadFile&& other) noexcept;
    DownloadFile(const DownloadFile&) = delete;
    DownloadFile& operator=(const DownloadFile&) = delete;

    /// How this file is written.
    [[nodiscard]] DownloadMode mode() const noexcept { return mode_; }
    /// The temporary being written (replace mode, before commit()); "" otherwise.
    [[nodiscard]] const std::string& temporary() const noexcept { return temporary_; }

    /// Appends bytes; throws std::system_error("write") (a full disk, a FIFO whose reader left).
    void write(std::string_view bytes);
    /// The download is complete: fsync, close and rename the temporary over the target (replace),
    /// or close the special file. Call once; throws std::system_error("fsync"/"close"/"rename").
    void commit();

private:
    void discard() noexcept;

    DownloadMode mode_ = DownloadMode::standard_output;
    std::string target_;     // what commit() replaces: the path, or the file a link at it names
    std::string temporary_;  // replace mode, until commit()
    UniqueFd fd_;            // empty for standard output and after commit()
};

}  // namespace netlab
