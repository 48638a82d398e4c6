#include "temp_dir.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace netlab::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "netlab-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::system_error(errno, std::system_category(), "mkdtemp");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path file = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

std::vector<std::string> TempDir::entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string content_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

bool TempDir::holds_bytes_besides(const std::string& name) const {
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
        std::error_code error;  // a temporary may vanish between the listing and the look
        const bool regular = entry.is_regular_file(error);
        const std::uintmax_t size = regular ? entry.file_size(error) : 0;
        if (!error && regular && size > 0 && entry.path().filename() != name) {
            return true;
        }
    }
    return false;
}

}  // namespace netlab::testing
