// Lab 07: http_get -o and what is already at its path. A regular FILE is replaced only by a
// complete body, from a temporary that no neighbour can redirect; a FIFO, a device and - (stdout)
// are written in place; a link at FILE is followed, a link to nothing and a folder are refused
// before any connection; Ctrl-C leaves neither a temporary nor a half-written FILE.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"

using namespace netlab::testing;

namespace {

/// The lstat type bits of path (S_IFREG, S_IFIFO, S_IFLNK...), or 0 when nothing is there.
mode_t type_of(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 ? (info.st_mode & S_IFMT) : 0;
}

}  // namespace

REFERENCE_TEST(Lab07Output, RegularFileReplacedOnlyOnSuccessAndItsPartNeighbourKept) {
    const LocalServer server;
    const TempDir folder;
    const std::string file = folder.file("report.txt");
    folder.write("report.txt", "the old report\n");
    ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
    folder.write("report.txt.part", "the user's own notes\n");

    SCOPED_TRACE("a body cut short: exit 18, FILE as it was, no temporary left");
    const auto cut = run_program("http_get", {"-s", "-o", file, server.url("/close-mid-body")});
    EXPECT_EQ(cut.status, 18) << cut.describe();
    EXPECT_EQ(content_of(file), "the old report\n");
    EXPECT_EQ(folder.entries(), (std::vector<std::string>{"report.txt", "report.txt.part"}));

    SCOPED_TRACE("a complete body: FILE replaced, its mode kept, FILE.part untouched");
    const auto whole = run_program("http_get", {"-s", "-o", file, server.url("/bytes/1000")});
    ASSERT_EQ(whole.status, 0) << whole.describe();
    EXPECT_EQ(content_of(file).size(), 1000U);
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640U) << "the replaced file's permissions were not kept";
    EXPECT_EQ(content_of(file + ".part"), "the user's own notes\n");
    EXPECT_EQ(folder.entries(), (std::vector<std::string>{"report.txt", "report.txt.part"}));
}

REFERENCE_TEST(Lab07Output, PlantedPartSymlinkIsNeverFollowed) {
    const LocalServer server;
    const TempDir folder;
    folder.write("victim", "precious\n");
    ASSERT_EQ(::symlink(folder.file("victim").c_str(), folder.file("dl.part").c_str()), 0);
    for (const std::string path : {"/close-mid-body", "/bytes/100"}) {
        SCOPED_TRACE("GET " + path);
        const auto run = run_program("http_get", {"-s", "-o", folder.file("dl"), server.url(path)});
        EXPECT_EQ(run.status, path == "/bytes/100" ? 0 : 18) << run.describe();
        EXPECT_EQ(content_of(folder.file("victim")), "precious\n") << "the download wrote through dl.part";
        EXPECT_EQ(type_of(folder.file("dl.part")), S_IFLNK) << "dl.part is no longer the link";
    }
    EXPECT_EQ(content_of(folder.file("dl")).size(), 100U);
}

REFERENCE_TEST(Lab07Output, FifoIsWrittenInPlace) {
    const LocalServer server;
    const TempDir folder;
    const std::string fifo = folder.file("pipe");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // Our end is open before http_get runs (O_RDWR never waits), so its open() finds a reader;
    // 5000 bytes fit in the pipe, so it never waits on a write either.
    const netlab::UniqueFd reader(::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    ASSERT_TRUE(reader);
    const auto run = run_program("http_get", {"-s", "-o", fifo, server.url("/bytes/5000")}, 20s);
    ASSERT_EQ(run.status, 0) << run.describe();
    std::string got;
    const auto deadline = Clock::now() + 10s;
    while (got.size() < 5000 && Clock::now() < deadline) {
        pollfd waiting{reader.get(), POLLIN, 0};
        if (::poll(&waiting, 1, millis_left(deadline)) == 1) {
            char buffer[8192];
            const ssize_t n = ::read(reader.get(), buffer, sizeof buffer);
            if (n > 0) {
                got.append(buffer, static_cast<std::size_t>(n));
            }
        }
    }
    EXPECT_EQ(got.size(), 5000U) << "the body did not come through the FIFO";
    EXPECT_EQ(got.substr(0, 16), "000000000000000\n");
    EXPECT_EQ(type_of(fifo), S_IFIFO) << "the FIFO was replaced";
    EXPECT_EQ(folder.entries(), std::vector<std::string>{"pipe"});
}

REFERENCE_TEST(Lab07Output, CharacterDeviceStaysADevice) {
    const LocalServer server;
    const TempDir folder;
    const std::string device = folder.file("null");
    if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {  // a second /dev/null
        GTEST_SKIP() << "mknod needs CAP_MKNOD: " << std::strerror(errno);
    }
    const auto run = run_program("http_get", {"-s", "-o", device, server.url("/bytes/3000")});
    EXPECT_EQ(run.status, 0) << run.describe();
    EXPECT_EQ(type_of(device), S_IFCHR) << "the device was replaced by a regular file";
    EXPECT_EQ(folder.entries(), std::vector<std::string>{"null"});
}

REFERENCE_TEST(Lab07Output, DashIsStandardOutput) {
    const LocalServer server;
    const auto run = run_program("http_get", {"-s", "-o", "-", server.url("/bytes/2000")});
    EXPECT_EQ(run.status, 0) << run.describe();
    EXPECT_EQ(run.out.size(), 2000U) << "-o - writes the body to stdout";
    EXPECT_FALSE(file_exists("-")) << "a file named - was created";
    std::filesystem::remove("-");
}

REFERENCE_TEST(Lab07Output, LinkAtFileIsFollowedAndStaysALink) {
    const LocalServer server;
    const TempDir folder;
    folder.write("real.txt", "old\n");
    const std::string link = folder.file("latest.txt");
    ASSERT_EQ(::symlink("real.txt", link.c_str()), 0);
    const auto cut = run_program("http_get", {"-s", "-o", link, server.url("/close-mid-body")});
    EXPECT_EQ(cut.status, 18) << cut.describe();
    EXPECT_EQ(content_of(folder.file("real.txt")), "old\n");
    const auto whole = run_program("http_get", {"-s", "-o", link, server.url("/bytes/64")});
    ASSERT_EQ(whole.status, 0) << whole.describe();
    EXPECT_EQ(type_of(link), S_IFLNK) << "the link was replaced by a regular file";
    EXPECT_EQ(content_of(folder.file("real.txt")).size(), 64U) << "the link's target was not replaced";
    EXPECT_EQ(folder.entries(), (std::vector<std::string>{"latest.txt", "real.txt"}));
}

REFERENCE_TEST(Lab07Output, FolderAndLinkToNothingRefusedBeforeConnecting) {
    const TempDir folder;
    // A refused port: a program that connects before it looks at its output exits 7 instead.
    const std::string url = "http://127.0.0.1:" + std::to_string(refused_port()) + "/";
    std::filesystem::create_directory(folder.file("dir"));
    const auto to_folder = run_program("http_get", {"-s", "-o", folder.file("dir"), url});
    EXPECT_EQ(to_folder.status, 1) << to_folder.describe();
    EXPECT_NE(to_folder.err.find("Is a directory"), std::string::npos) << to_folder.describe();
    ASSERT_EQ(::symlink(folder.file("missing").c_str(), folder.file("dangling").c_str()), 0);
    const auto to_nothing = run_program("http_get", {"-s", "-o", folder.file("dangling"), url});
    EXPECT_EQ(to_nothing.status, 1) << to_nothing.describe();
    EXPECT_NE(to_nothing.err.find("symbolic link"), std::string::npos) << to_nothing.describe();
    EXPECT_EQ(folder.entries(), (std::vector<std::string>{"dangling", "dir"}));
}

REFERENCE_TEST(Lab07Output, SignalMidDownloadLeavesNoTemporary) {
    const LocalServer server;
    for (const int signal_number : {SIGINT, SIGTERM}) {
        SCOPED_TRACE("signal " + std::to_string(signal_number));
        const TempDir folder;
        const std::string file = folder.file("song.ogg");
        folder.write("song.ogg", "old\n");
        // 1000 chunks, one per 20 ms: 20 s of body, far longer than this test waits.
        ChildProcess get("http_get", {"-s", "-o", file, server.url("/stream/1000?interval_ms=20")});
        const bool mid_body = wait_until([&] { return folder.holds_bytes_besides("song.ogg"); }, 10s);
        ASSERT_TRUE(mid_body) << "no temporary with bytes in it appeared; stderr: " << get.stderr_text();
        get.send_signal(signal_number);
        const auto status = get.wait_exit(10s);
        EXPECT_EQ(status, std::optional<int>(128 + signal_number)) << describe_exit(status);
        EXPECT_NE(get.stderr_text().find("interrupted"), std::string::npos) << get.stderr_text();
        EXPECT_EQ(content_of(file), "old\n");
        EXPECT_EQ(folder.entries(), std::vector<std::string>{"song.ogg"}) << "a temporary was left";
    }
}
