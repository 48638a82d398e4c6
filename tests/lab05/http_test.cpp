// Lab 05, libevent_http_server end to end, through a tiny hand-written HTTP/1.1 client: static
// files with their length and type, traversal attempts, /echo, /status, /delay (without blocking
// the loop), /stream (chunked), /bytes (64 MiB with bounded memory), /redirect, /close-mid-body,
// clients that leave early, and --debug.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "bytes.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "http_client.hpp"
#include "process_memory.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

const std::string kSecret = "SECRET-MARKER-outside-the-root";

/// A folder to serve (www/) next to a secret file that must never be served.
struct TestSite {
    TestSite() {
        dir.write("secret.txt", kSecret + "\n");
        dir.write("www/index.html", "<!doctype html><h1>test root</h1>\n");
        dir.write("www/hello.txt", "hello, 你好\n");
        dir.write("www/data.json", "{\"n\": 1}\n");
        dir.write("www/pic.png", "\x89PNG\r\n\x1a\n" + random_bytes(3000, 7));
        dir.write("www/with space.txt", "spaced\n");
        dir.write("www/docs/notes.txt", "nested\n");
        dir.write("www/.secret", kSecret + "\n");
        std::filesystem::create_symlink("../secret.txt", root() + "/link-out");
    }
    [[nodiscard]] std::string root() const { return dir.path() + "/www"; }
    TempDir dir;
};

struct HttpServerProcess : ServerProcess {
    explicit HttpServerProcess(std::vector<std::string> extra = {})
        : ServerProcess("libevent_http_server", listen_args(std::move(extra))) {}
};

std::string describe(const HttpResult& result) {
    if (!result)
        return "no response: " + result.problem;
    std::string text = "HTTP " + std::to_string(result.response->status) + " " + result.response->reason;
    for (const auto& [key, value] : result.response->headers)
        text += "\n  " + key + ": " + value;
    return text + "\n  body: " + std::to_string(result.response->body_size) + " bytes";
}

GRADED_TEST(Lab05Http, ServesStaticFilesWithLengthAndType, 4) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    struct Case {
        std::string target;
        std::string file;
        std::string type;
    };
    const std::vector<Case> cases = {
        {"/", "index.html", "text/html; charset=utf-8"},
        {"/index.html", "index.html", "text/html; charset=utf-8"},
        {"/hello.txt", "hello.txt", "text/plain; charset=utf-8"},
        {"/data.json", "data.json", "application/json"},
        {"/pic.png", "pic.png", "image/png"},
        {"/with%20space.txt", "with space.txt", "text/plain; charset=utf-8"},
        {"/docs/notes.txt", "docs/notes.txt", "text/plain; charset=utf-8"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("GET " + c.target);
        const HttpResult result = http_get(server.endpoint, c.target);
        ASSERT_TRUE(result) << result.problem << "; server stderr: " << server.process.stderr_text();
        const HttpResponse& response = *result.response;
        std::ifstream in(site.root() + "/" + c.file, std::ios::binary);
        const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(response.status, 200) << describe(result);
        EXPECT_EQ(response.header("Content-Type"), c.type) << describe(result);
        EXPECT_EQ(response.header("Content-Length"), std::to_string(expected.size())) << describe(result);
        EXPECT_BYTES_EQ(expected, response.body);
    }
    {
        SCOPED_TRACE("HEAD /pic.png: the headers of a GET, no body");
        const UniqueFd fd = server.connect();
        ASSERT_TRUE(send_within(fd.get(), http_request("HEAD", "/pic.png"), 5s));
        ReadOptions head;
        head.head = true;
        const HttpResult result = read_response(fd.get(), head);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 200);
        EXPECT_EQ(result.response->header("Content-Length"), "3008");
        SCOPED_TRACE("and no stray body bytes follow on the kept-alive connection");
        ASSERT_TRUE(send_within(fd.get(), http_request("GET", "/data.json"), 5s));
        const HttpResult next = read_response(fd.get());
        ASSERT_TRUE(next) << next.problem;
        EXPECT_EQ(next.response->status, 200) << describe(next);
        EXPECT_EQ(next.response->body, "{\"n\": 1}\n");
    }
    {
        SCOPED_TRACE("GET /docs (a folder, no slash) redirects to /docs/");
        const HttpResult result = http_get(server.endpoint, "/docs");
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 301) << describe(result);
        EXPECT_EQ(result.response->header("Location"), "/docs/");
    }
    SCOPED_TRACE("without --root the server serves the lab's own www/ folder");
    HttpServerProcess default_root;
    const HttpResult index = http_get(default_root.endpoint, "/index.html");
    ASSERT_TRUE(index) << index.problem;
    EXPECT_EQ(index.response->status, 200) << describe(index);
    EXPECT_EQ(index.response->header("Content-Type"), "text/html; charset=utf-8");
    const HttpResult png = http_get(default_root.endpoint, "/netlab.png");
    ASSERT_TRUE(png) << png.problem;
    EXPECT_EQ(png.response->status, 200) << describe(png);
    EXPECT_EQ(png.response->header("Content-Type"), "image/png");
    EXPECT_TRUE(png.response->body.starts_with("\x89PNG")) << "not a PNG";
}

GRADED_TEST(Lab05Http, MissingFilesAndWrongMethods, 2) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    const std::vector<std::pair<std::string, int>> cases = {
        {http_request("GET", "/no-such-file.txt", {{"Connection", "close"}}), 404},
        {http_request("GET", "/docs/missing/", {{"Connection", "close"}}), 404},
        {http_request("POST", "/hello.txt", {{"Connection", "close"}}, "x"), 405},
        {http_request("GET", "/echo", {{"Connection", "close"}}), 405},
        {http_request("DELETE", "/hello.txt", {{"Connection", "close"}}), 501},
    };
    for (const auto& [request, status] : cases) {
        SCOPED_TRACE(request.substr(0, request.find('\r')));
        const HttpResult result = http_exchange(server.endpoint, request);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, status) << describe(result);
    }
}

GRADED_TEST(Lab05Http, TraversalAttemptsNeverReachFilesOutsideTheRoot, 4) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    const std::vector<std::string> targets = {
        "/../secret.txt",   "/%2e%2e/secret.txt",     "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt", "/docs/../../secret.txt", "/docs/%2e%2e/%2e%2e/secret.txt",
        "//../secret.txt",  "/%252e%252e/secret.txt", "/.secret",
        "/link-out",        "/..%5csecret.txt",       "http://127.0.0.1/../secret.txt",
    };
    for (const auto& target : targets) {
        SCOPED_TRACE("GET " + target);
        const HttpResult result = http_get(server.endpoint, target);
        if (!result) {
            continue;  // closing the connection without an answer also serves nothing
        }
        const int status = result.response->status;
        EXPECT_TRUE(status == 400 || status == 403 || status == 404) << describe(result);
        EXPECT_EQ(result.response->body.find(kSecret), std::string::npos) << "the secret was served!";
    }
    EXPECT_FALSE(server.process.wait_exit(0ms).has_value())
        << "the server exited: " << server.process.stderr_text();
}

GRADED_TEST(Lab05Http, EchoReturnsTheBodyWithItsContentType, 3) {
    HttpServerProcess server;
    const UniqueFd fd = server.connect();
    for (const std::size_t size : {std::size_t{1}, std::size_t{100000}, std::size_t{1024 * 1024}}) {
        SCOPED_TRACE("POST /echo with " + std::to_string(size) + " bytes on one kept-alive connection");
        const std::string body = random_bytes(size, static_cast<std::uint32_t>(size));
        ASSERT_TRUE(send_within(
            fd.get(), http_request("POST", "/echo", {{"Content-Type", "image/x-test"}}, body), 10s));
        const HttpResult result = read_response(fd.get());
        ASSERT_TRUE(result) << result.problem << "; server stderr: " << server.process.stderr_text();
        EXPECT_EQ(result.response->status, 200) << describe(result);
        EXPECT_EQ(result.response->header("Content-Type"), "image/x-test");
        EXPECT_BYTES_EQ(body, result.response->body);
    }
}

GRADED_TEST(Lab05Http, StatusEndpointAnswersWithTheAskedStatus, 3) {
    HttpServerProcess server;
    for (const int status : {200, 201, 301, 404, 418, 500, 503, 599}) {
        SCOPED_TRACE("GET /status/" + std::to_string(status));
        const HttpResult result = http_get(server.endpoint, "/status/" + std::to_string(status));
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, status) << describe(result);
    }
    {
        SCOPED_TRACE("GET /status/204: no body at all");
        const HttpResult result = http_get(server.endpoint, "/status/204");
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 204);
        EXPECT_EQ(result.response->header("Content-Length"), std::nullopt);
    }
    for (const std::string bad : {"99", "100", "600", "abc", "", "-1", "2000", "20x"}) {
        SCOPED_TRACE("GET /status/" + bad + " is refused with 400");
        const HttpResult result = http_get(server.endpoint, "/status/" + bad);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->status, 400) << describe(result);
    }
}

GRADED_TEST(Lab05Http, DelayAnswersLaterWithoutBlockingTheLoop, 3) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    const UniqueFd slow = server.connect();
    const auto asked = Clock::now();
    ASSERT_TRUE(send_within(slow.get(), http_request("GET", "/delay/200"), 5s));
    {
        SCOPED_TRACE("while /delay/200 is pending, another client's request is answered");
        const HttpResult other = http_get(server.endpoint, "/hello.txt");
        ASSERT_TRUE(other) << other.problem;
        EXPECT_EQ(other.response->status, 200);
        pollfd entry{slow.get(), POLLIN, 0};
        EXPECT_EQ(::poll(&entry, 1, 0), 0) << "the delayed reply came before the other request was answered";
    }
    SCOPED_TRACE("the delayed reply comes after at least 200 ms");
    const HttpResult result = read_response(slow.get());
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
    ASSERT_TRUE(result) << result.problem;
    EXPECT_EQ(result.response->status, 200) << describe(result);
    EXPECT_GE(took.count(), 200) << "answered too early";
    EXPECT_LT(took.count(), 5000);
    EXPECT_EQ(http_get(server.endpoint, "/delay/60001").response.value_or(HttpResponse{}).status, 400);
}

GRADED_TEST(Lab05Http, StreamSendsChunkedPiecesOverTime, 4) {
    HttpServerProcess server;
    const auto asked = Clock::now();
    const HttpResult result = http_get(server.endpoint, "/stream/5?interval_ms=30");
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
    ASSERT_TRUE(result) << result.problem;
    const HttpResponse& response = *result.response;
    EXPECT_EQ(response.status, 200) << describe(result);
    EXPECT_TRUE(response.chunked) << "expected Transfer-Encoding: chunked; " << describe(result);
    EXPECT_EQ(response.chunks.size(), 5u) << "chunks received: " << response.chunks.size();
    std::string expected;
    for (int i = 0; i < 5; ++i) {
        expected += "{\"chunk\": " + std::to_string(i) + ", \"of\": 5}\n";
    }
    EXPECT_EQ(response.body, expected);
    EXPECT_GE(took.count(), 110) << "5 chunks 30 ms apart should take at least 4 intervals";
    EXPECT_EQ(http_get(server.endpoint, "/stream/0").response.value_or(HttpResponse{}).status, 400);
}

/// Checks a /bytes body piece by piece: 16-byte records, each its own offset in 15 digits and '\n'.
class PatternChecker {
public:
    void operator()(std::string_view bytes) {
        for (const char c : bytes) {
            if (offset_ % 16 == 0) {
                std::snprintf(record_, sizeof record_, "%015llu\n", static_cast<unsigned long long>(offset_));
            }
            if (c != record_[offset_ % 16] && !first_bad_) {
                first_bad_ = offset_;
            }
            ++offset_;
        }
    }
    [[nodiscard]] std::optional<std::uint64_t> first_bad() const { return first_bad_; }

private:
    std::uint64_t offset_ = 0;
    char record_[32] = {};
    std::optional<std::uint64_t> first_bad_;
};

GRADED_TEST(Lab05Http, BytesStreamsSixtyFourMiBWithBoundedMemory, 4) {
    HttpServerProcess server;
    {
        SCOPED_TRACE("GET /bytes/40 and HEAD /bytes/100 (the length without the body)");
        const HttpResult small = http_get(server.endpoint, "/bytes/40");
        ASSERT_TRUE(small) << small.problem;
        EXPECT_EQ(small.response->body, "000000000000000\n000000000000016\n00000000");
        ReadOptions head;
        head.head = true;
        const HttpResult result = http_exchange(
            server.endpoint, http_request("HEAD", "/bytes/100", {{"Connection", "close"}}), head);
        ASSERT_TRUE(result) << result.problem;
        EXPECT_EQ(result.response->header("Content-Length"), "100");
    }
    const std::uint64_t total = 64u << 20;
    const auto before = memory_kib(server.process.pid(), "VmRSS");
    ASSERT_TRUE(before.has_value());
    SCOPED_TRACE("GET /bytes/67108864: Content-Length, every byte of the pattern, bounded server memory");
    PatternChecker checker;
    ReadOptions options;
    options.timeout = 40s;
    options.body_sink = std::ref(checker);
    const HttpResult result = http_get(server.endpoint, "/bytes/" + std::to_string(total), options);
    ASSERT_TRUE(result) << result.problem;
    EXPECT_EQ(result.response->header("Content-Length"), std::to_string(total));
    EXPECT_FALSE(result.response->chunked);
    EXPECT_EQ(result.response->body_size, total);
    EXPECT_EQ(checker.first_bad(), std::nullopt) << "the pattern is wrong at byte " << *checker.first_bad();
    const auto peak = memory_kib(server.process.pid(), "VmHWM");
    ASSERT_TRUE(peak.has_value());
    const std::size_t growth = *peak > *before ? *peak - *before : 0;
    std::cout << "[ memory ] /bytes/" << total << ": server VmRSS before " << *before << " KiB, peak (VmHWM) "
              << *peak << " KiB, growth " << growth << " KiB\n";
#if !defined(__SANITIZE_ADDRESS__)  // ASan's quarantine makes RSS count freed memory too
    EXPECT_LT(growth, 16u * 1024) << "the server's peak memory grew by " << growth
                                  << " KiB for a 64 MiB body";
#endif
}

GRADED_TEST(Lab05Http, RedirectChainAndABodyCutShort, 3) {
    HttpServerProcess server;
    {
        SCOPED_TRACE("/redirect/3 -> /redirect/2 -> /redirect/1 -> /redirect/0 (200)");
        std::string target = "/redirect/3";
        int hops = 0;
        for (;;) {
            const HttpResult result = http_get(server.endpoint, target);
            ASSERT_TRUE(result) << result.problem;
            if (result.response->status != 302) {
                EXPECT_EQ(result.response->status, 200) << describe(result);
                break;
            }
            const auto location = result.response->header("Location");
            ASSERT_TRUE(location.has_value()) << describe(result);
            target = *location;
            ASSERT_LE(++hops, 3) << "too many redirects";
        }
        EXPECT_EQ(hops, 3);
        EXPECT_EQ(target, "/redirect/0");
    }
    SCOPED_TRACE("/close-mid-body announces 1000 bytes, sends 100, and closes");
    const HttpResult result = http_get(server.endpoint, "/close-mid-body");
    ASSERT_TRUE(result) << result.problem;
    EXPECT_EQ(result.response->header("Content-Length"), "1000");
    EXPECT_EQ(result.response->body_size, 100u);
    EXPECT_TRUE(result.response->cut_short) << "the connection should close before the announced length";
}

GRADED_TEST(Lab05Http, ClientsLeavingEarlyAndSigintWithRepliesPending, 2) {
    const TestSite site;
    HttpServerProcess server({"--root", site.root()});
    {
        SCOPED_TRACE("clients reset during /bytes/1073741824, /stream and /delay");
        UniqueFd bytes = server.connect();
        ASSERT_TRUE(send_within(bytes.get(), http_request("GET", "/bytes/1073741824"), 5s));
        ASSERT_TRUE(read_exactly(bytes.get(), 1024 * 1024, 10s).has_value()) << "no body within 10 s";
        reset_connection(std::move(bytes));
        UniqueFd stream = server.connect();
        ASSERT_TRUE(send_within(stream.get(), http_request("GET", "/stream/1000?interval_ms=1"), 5s));
        ASSERT_TRUE(read_exactly(stream.get(), 100, 10s).has_value());
        reset_connection(std::move(stream));
        UniqueFd delay = server.connect();
        ASSERT_TRUE(send_within(delay.get(), http_request("GET", "/delay/100"), 5s));
        delay.reset();
    }
    {
        SCOPED_TRACE("the server keeps serving");
        const HttpResult result = http_get(server.endpoint, "/hello.txt");
        ASSERT_TRUE(result) << result.problem << "; server stderr: " << server.process.stderr_text();
        EXPECT_EQ(result.response->status, 200);
        const HttpResult late = http_get(server.endpoint, "/delay/150");
        ASSERT_TRUE(late) << late.problem;
        EXPECT_EQ(late.response->status, 200);
    }
    SCOPED_TRACE("SIGINT while a /delay/5000 and a /bytes reply are pending: exit 0 at once");
    const UniqueFd waiting = server.connect();
    ASSERT_TRUE(send_within(waiting.get(), http_request("GET", "/delay/5000"), 5s));
    const UniqueFd streaming = server.connect();
    ASSERT_TRUE(send_within(streaming.get(), http_request("GET", "/bytes/1073741824"), 5s));
    ASSERT_TRUE(read_exactly(streaming.get(), 1000, 10s).has_value());
    server.process.send_signal(SIGINT);
    const auto status = server.process.wait_exit(3s);
    EXPECT_EQ(status, 0) << describe_exit(status) << "; stderr: " << server.process.stderr_text();
}

GRADED_TEST(Lab05Http, DebugFlagPrintsLibeventTraceOnStderr, 2) {
    HttpServerProcess server({"--debug"});
    const HttpResult result = http_get(server.endpoint, "/status/200");
    ASSERT_TRUE(result) << result.problem;
    SCOPED_TRACE("--debug routes libevent's own debug lines to stderr with a 'libevent:' prefix");
    EXPECT_TRUE(wait_until(
        [&] { return server.process.stderr_text().find("libevent: [debug]") != std::string::npos; }, 5s))
        << "stderr: " << server.process.stderr_text().substr(0, 2000);
    server.process.send_signal(SIGTERM);
    EXPECT_EQ(server.process.wait_exit(5s), 0);
}

}  // namespace
}  // namespace netlab::testing
