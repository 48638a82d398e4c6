#pragma once
// A scratch folder for one test, removed with everything in it.

#include <string>

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

private:
    std::string path_;
};

}  // namespace netlab::testing
