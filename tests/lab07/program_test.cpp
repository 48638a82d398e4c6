// Lab 07: http_get as a learner runs it: -f like curl's, a 100 MiB download to a file whose
// memory stays flat (the child's peak RSS, from wait4), the progress bar, the command line
// (every -H sent, in order, as curl sends them).

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "cli_contract.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"

using namespace netlab::testing;

GRADED_TEST(Lab07Program, FailFlagTurnsHttpErrorsIntoExit22, 2) {
    const LocalServer server;
    for (const std::string status : {"404", "500"}) {
        SCOPED_TRACE("status " + status);
        const std::string url = server.url("/status/" + status);
        const auto plain = run_program("http_get", {"-s", url});
        EXPECT_EQ(plain.status, 0) << "without -f an HTTP error is still a response: " << plain.describe();
        EXPECT_EQ(plain.out, "status " + status + "\n");
        const auto failing = run_program("http_get", {"-s", "-f", url});
        EXPECT_EQ(failing.status, 22) << failing.describe();
        EXPECT_EQ(failing.out, "") << "with -f the error page is not written";
        EXPECT_NE(failing.err.find(status), std::string::npos) << failing.describe();
    }
    const auto fine = run_program("http_get", {"-s", "-f", server.url("/status/200")});
    EXPECT_EQ(fine.status, 0) << fine.describe();
}

GRADED_TEST(Lab07Program, HundredMebibytesToAFileInBoundedMemory, 7) {
    const LocalServer server;
    const TempDir folder;
    SCOPED_TRACE("the baseline: the same program fetching 1 byte");
    const auto small = run_program("http_get", {"-s", "-o", folder.file("one.bin"), server.url("/bytes/1")});
    ASSERT_EQ(small.status, 0) << small.describe();
    SCOPED_TRACE("100 MiB streamed to a file");
    constexpr std::size_t kSize = std::size_t{100} << 20;
    const std::string path = folder.file("big.bin");
    const auto big =
        run_program("http_get", {"-s", "-o", path, server.url("/bytes/" + std::to_string(kSize))},
                    std::chrono::seconds(50));
    ASSERT_EQ(big.status, 0) << big.describe();
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(static_cast<std::size_t>(info.st_size), kSize);
    const long grew = big.peak_rss_kib - small.peak_rss_kib;
    EXPECT_LT(grew, 32 * 1024) << "peak RSS " << big.peak_rss_kib << " KiB vs " << small.peak_rss_kib
                               << " KiB for 1 byte: the body was held in memory";
}

GRADED_TEST(Lab07Program, OutputFileAndProgressBarOnStderr, 3) {
    const LocalServer server;
    const TempDir folder;
    const std::string path = folder.file("body.bin");
    const auto run = run_program("http_get", {"-o", path, server.url("/bytes/3000000")});
    ASSERT_EQ(run.status, 0) << run.describe();
    EXPECT_EQ(run.out, "") << "with -o nothing goes to stdout";
    std::string body;
    ASSERT_TRUE(read_file(path, body));
    EXPECT_EQ(body.size(), 3000000U);
    EXPECT_NE(run.err.find("100%"), std::string::npos) << "no finished progress bar on stderr: " << run.err;
    EXPECT_NE(run.err.find('\r'), std::string::npos) << "the bar is redrawn in place with \\r";
    const auto quiet = run_program("http_get", {"-s", "-o", path, server.url("/bytes/3000000")});
    EXPECT_EQ(quiet.err, "") << "-s: no progress bar";
}

GRADED_TEST(Lab07Program, CommandLineContract, 3) {
    expect_help_contract({"http_get", "http_fetch_many"});
    expect_refused({
        {"http_get", {}},
        {"http_get", {"--bogus", "http://127.0.0.1:1/"}},
        {"http_get", {"-m", "soon", "http://127.0.0.1:1/"}},
        {"http_get", {"-X", "BREW", "http://127.0.0.1:1/"}},
        {"http_get", {"-o", "x", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}},
        {"http_fetch_many", {}},
        {"http_fetch_many", {"--parallel-max", "0", "http://127.0.0.1:1/"}},
        {"http_fetch_many", {"--file", "/nonexistent/list"}},
    });
}

REFERENCE_TEST(Lab07Program, EveryHeaderOptionIsSentInOrder) {
    LocalServer server;
    const std::string url = server.url("/request/headers");  // the reply's body is the request itself
    SCOPED_TRACE("-H a, then -d whose value is \"--\", then -H b and --header=c, then -- and the URL");
    const auto run = run_program(
        "http_get", {"-s", "-H", "X-A: a", "-d", "--", "-H", "X-B: b", "--header=X-C: c", "--", url});
    ASSERT_EQ(run.status, 0) << run.describe();
    const std::string& head = run.out;
    EXPECT_TRUE(head.starts_with("POST /request/headers HTTP/1.1\r\n")) << head;
    EXPECT_TRUE(head.ends_with("\r\n\r\n--")) << "-d's value is the body: " << head;
    const auto a = head.find("\r\nX-A: a\r\n");
    const auto b = head.find("\r\nX-B: b\r\n");
    const auto c = head.find("\r\nX-C: c\r\n");
    ASSERT_NE(a, std::string::npos) << head;
    ASSERT_NE(b, std::string::npos) << "a header after a value \"--\" was lost: " << head;
    ASSERT_NE(c, std::string::npos) << "--header=VALUE was lost: " << head;
    EXPECT_LT(a, b) << head;
    EXPECT_LT(b, c) << head;

    SCOPED_TRACE("after --, \"-H\" is a second URL, not an option: -o refuses two URLs");
    const TempDir folder;
    const auto after = run_program("http_get", {"-s", "-o", folder.file("x"), "--", url, "-H"});
    EXPECT_EQ(after.status, 2) << after.describe();
    EXPECT_NE(after.err.find("--output takes one URL"), std::string::npos) << after.describe();
    const std::string log = server.log();
    EXPECT_EQ(log.find("/request/headers"), log.rfind("/request/headers"))
        << "something more was fetched: " << log;
}
