#pragma once
// A scratch folder for one test, removed with everything in it.

#include <string>
#include <vector>

namespace netlab::testing {

/// A temporary folder, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The folder's absolute path.
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// path() + "/" + name.
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// Writes a file (creating parent folders); relative is below path().
    void write(const std::string& relative, const std::string& content) const;

    /// The names in the folder, sorted (dot files included).
    [[nodiscard]] std::vector<std::string> entries() const;
    /// True when a regular file other than the one named holds bytes: a download's temporary.
    [[nodiscard]] bool holds_bytes_besides(const std::string& name) const;

private:
    std::string path_;
};

/// The whole content of the file at path; "" when it cannot be read.
std::string content_of(const std::string& path);

}  // namespace netlab::testing
