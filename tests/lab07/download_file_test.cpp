// common/download_file in-process: which mode each kind of path gets, the temporary's name and
// lifetime, and the mode of what commit() leaves behind. The programs' side is output_test.cpp.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include "common/download_file.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"

using netlab::DownloadFile;
using netlab::DownloadMode;
using netlab::testing::TempDir;

namespace {

std::size_t entry_count(const std::string& folder) {
    const auto all = std::filesystem::directory_iterator(folder);
    return static_cast<std::size_t>(std::distance(begin(all), end(all)));
}

mode_t permissions_of(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
}

/// The refusal download_mode gives path, or "" when it accepts it.
std::string refusal(const std::string& path) {
    try {
        netlab::download_mode(path);
        return "";
    } catch (const std::system_error& error) {
        return error.what();
    }
}

}  // namespace

REFERENCE_TEST(Lab07DownloadFile, ModeFollowsWhatIsAtThePath) {
    const TempDir folder;
    folder.write("regular", "x");
    ASSERT_EQ(::mkfifo(folder.file("fifo").c_str(), 0600), 0);
    ASSERT_EQ(::symlink("regular", folder.file("link").c_str()), 0);
    ASSERT_EQ(::symlink("fifo", folder.file("link-to-fifo").c_str()), 0);
    ASSERT_EQ(::symlink("missing", folder.file("dangling").c_str()), 0);
    EXPECT_EQ(netlab::download_mode("-"), DownloadMode::standard_output);
    EXPECT_EQ(netlab::download_mode(folder.file("absent")), DownloadMode::replace);
    EXPECT_EQ(netlab::download_mode(folder.file("regular")), DownloadMode::replace);
    EXPECT_EQ(netlab::download_mode(folder.file("link")), DownloadMode::replace);
    EXPECT_EQ(netlab::download_mode(folder.file("fifo")), DownloadMode::direct);
    EXPECT_EQ(netlab::download_mode(folder.file("link-to-fifo")), DownloadMode::direct);
    EXPECT_EQ(netlab::download_mode("/dev/null"), DownloadMode::direct);
    EXPECT_NE(refusal(folder.path()).find("Is a directory"), std::string::npos) << refusal(folder.path());
    EXPECT_NE(refusal(folder.file("dangling")).find("symbolic link"), std::string::npos);
    EXPECT_THROW(DownloadFile(folder.file("absent/child")), std::system_error) << "no folder to create it in";
}

REFERENCE_TEST(Lab07DownloadFile, TemporaryBesideTheTargetRemovedUnlessCommitted) {
    const TempDir folder;
    const std::string target = folder.file("data.bin");
    std::string temporary;
    {
        DownloadFile file(target);
        EXPECT_EQ(file.mode(), DownloadMode::replace);
        temporary = file.temporary();
        EXPECT_TRUE(temporary.starts_with(folder.file(".data.bin."))) << temporary;
        file.write("partial");
        EXPECT_TRUE(std::filesystem::exists(temporary));
        EXPECT_FALSE(std::filesystem::exists(target)) << "the target appeared before commit()";
    }
    EXPECT_FALSE(std::filesystem::exists(temporary)) << "the destructor left the temporary";
    EXPECT_EQ(entry_count(folder.path()), 0U);

    SCOPED_TRACE("committed: the target holds every byte, nothing else is left");
    std::optional<DownloadFile> file(std::in_place, target);
    DownloadFile moved = std::move(*file);
    file.reset();  // a moved-from DownloadFile removes nothing
    moved.write("complete ");
    moved.write("body");
    moved.commit();
    EXPECT_EQ(moved.temporary(), "");
    std::string content;
    ASSERT_TRUE(netlab::testing::read_file(target, content));
    EXPECT_EQ(content, "complete body");
    EXPECT_EQ(entry_count(folder.path()), 1U);
}

REFERENCE_TEST(Lab07DownloadFile, NewFileGetsTheUmaskModeAndAReplacedOneKeepsItsOwn) {
    const TempDir folder;
    const mode_t mask = ::umask(0);
    ::umask(mask);
    DownloadFile fresh(folder.file("new"));
    fresh.commit();
    EXPECT_EQ(permissions_of(folder.file("new")), 0666 & ~mask) << "as fopen() would create it";

    folder.write("kept", "old");
    ASSERT_EQ(::chmod(folder.file("kept").c_str(), 0751), 0);
    DownloadFile replacing(folder.file("kept"));
    replacing.write("new");
    replacing.commit();
    EXPECT_EQ(permissions_of(folder.file("kept")), 0751U);
}

REFERENCE_TEST(Lab07DownloadFile, LongestNameStillGetsATemporary) {
    const TempDir folder;
    const std::string name(NAME_MAX, 'n');
    DownloadFile file(folder.file(name));
    EXPECT_EQ(std::filesystem::path(file.temporary()).filename().string().size(), std::size_t{NAME_MAX});
    file.write("x");
    file.commit();
    EXPECT_TRUE(std::filesystem::exists(folder.file(name)));
}
