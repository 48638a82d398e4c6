// Lab 06, Download in-process against a reply that never ends (start and on_ready_read alone),
// then qt_http_get against the HTTP test peer (netlab_http_peer): an HTTP error, a
// transfer timeout, a 50 MiB body streamed to a file in bounded memory (peak RSS from wait4), and
// -o onto an existing file: a cut body or Ctrl-C leaves it as it was, and no temporary beside it.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "06_qt_network/http_download.hpp"
#include "child_process.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab06_helpers.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

std::string url(const ServerProcess& server, const std::string& path) {
    return "http://" + format_host_port(server.endpoint) + path;
}

/// What netlab_http_peer's /bytes/N sends: 16-byte records "%015llu\n" of their own offset.
std::string first_difference_from_pattern(const std::string& path, std::uint64_t size) {
    std::ifstream in(path, std::ios::binary);
    std::string block(1 << 20, '\0');
    std::uint64_t offset = 0;
    char record[17];
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
        const auto got = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < got; i += 16) {
            std::snprintf(record, sizeof record, "%015llu\n", static_cast<unsigned long long>(offset + i));
            if (block.compare(i, std::min<std::size_t>(16, got - i), record,
                              std::min<std::size_t>(16, got - i)) != 0) {
                return "the bytes differ from the pattern at offset " + std::to_string(offset + i);
            }
        }
        offset += got;
    }
    return offset == size ? ""
                          : "the file has " + std::to_string(offset) + " bytes, not " + std::to_string(size);
}

/// A one-shot HTTP server on its own thread: it accepts one connection, reads the request head,
/// announces a body of 2 * body.size() bytes but sends only body, then holds the connection open
/// until the client closes it. The reply never ends, so Qt never emits finished().
class HalfBodyServer {
public:
    explicit HalfBodyServer(std::string body)
        : listener_(listen_loopback()), body_(std::move(body)), thread_([this] { serve(); }) {}
    ~HalfBodyServer() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    HalfBodyServer(const HalfBodyServer&) = delete;
    HalfBodyServer& operator=(const HalfBodyServer&) = delete;

    [[nodiscard]] QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/half").arg(bound_port(listener_.get())));
    }
    /// Waits for the thread (the client must have closed), then returns the request head it read,
    /// or what went wrong.
    [[nodiscard]] std::string finish() {
        if (thread_.joinable()) {
            thread_.join();
        }
        return head_;
    }

private:
    void serve() {
        const UniqueFd client = accept_within(listener_.get(), 10s);
        if (!client) {
            head_ = "(no connection within 10 s)";
            return;
        }
        const auto deadline = Clock::now() + 10s;
        char buffer[4096];
        while (head_.find("\r\n\r\n") == std::string::npos) {
            pollfd readable{client.get(), POLLIN, 0};
            if (::poll(&readable, 1, millis_left(deadline)) <= 0) {
                return;
            }
            const ssize_t got = ::recv(client.get(), buffer, sizeof buffer, 0);
            if (got <= 0) {
                return;
            }
            head_.append(buffer, static_cast<std::size_t>(got));
        }
        const std::string response =
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: " +
            std::to_string(2 * body_.size()) + "\r\n\r\n" + body_;
        if (send_within(client.get(), response, 20s)) {
            (void)read_to_eof(client.get(), 20s);  // until the client closes: the reply stays open
        }
    }

    UniqueFd listener_;
    std::string body_;
    std::string head_;
    std::thread thread_;
};

GRADED_TEST(Lab06Http, DownloadStreamsEachReadyReadToTheOutput, 4) {
    // In-process, on a reply that never finishes: start() and on_ready_read() only, no on_finished().
    std::string body(1 << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) {
        body[i] = static_cast<char>((i * 7 + i / 4096) % 251);
    }
    HalfBodyServer server(body);
    QByteArray received;
    {
        QBuffer output(&received);
        output.open(QIODevice::WriteOnly);
        QNetworkAccessManager manager;
        qt::DownloadOptions options;
        options.max_buffer = 16 * 1024;  // 1 MiB through a 16 KiB read buffer: every readyRead must drain it
        auto download = std::make_unique<qt::Download>(manager, server.url(), output, options);
        download->start();
        const auto size = static_cast<std::int64_t>(body.size());
        const bool all_written = wait_until(
            [&] {
                QCoreApplication::processEvents();
                return download->written() >= size;
            },
            20s);
        EXPECT_TRUE(all_written) << "written() is " << download->written() << " of " << size
                                 << " bytes: the transfer stalled (is every readyRead read to the end?)";
        EXPECT_EQ(download->written(), size);
        download.reset();  // before the manager: its slots are gone when the reply is torn down
    }
    const std::string head = server.finish();
    EXPECT_NE(head.find("GET /half HTTP/1.1\r\n"), std::string::npos) << head;
    ASSERT_EQ(static_cast<std::size_t>(received.size()), body.size());
    EXPECT_TRUE(std::string_view(received.constData(), body.size()) == body)
        << "the output holds other bytes than the body, or in another order";
}

GRADED_TEST(Lab06Http, NotFoundIsAnErrorWithExitStatus22, 6) {
    ServerProcess server("netlab_http_peer", listen_args());
    ChildProcess get("qt_http_get", {url(server, "/status/404")});
    get.close_stdin();
    EXPECT_EQ(get.read_all_stdout(10s), std::optional<std::string>(""))
        << "an error page is not the document";
    EXPECT_EQ(get.wait_exit(10s), 22) << get.stderr_text();
    EXPECT_NE(get.stderr_text().find("404"), std::string::npos) << "stderr: " << get.stderr_text();

    SCOPED_TRACE("a 200 right after: the body on stdout, exit 0");
    ChildProcess ok("qt_http_get", {url(server, "/bytes/100")});
    ok.close_stdin();
    const auto body = ok.read_all_stdout(10s);
    EXPECT_EQ(ok.wait_exit(10s), 0) << ok.stderr_text();
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ(body->size(), 100u);
    EXPECT_EQ(body->substr(0, 16), "000000000000000\n");
}

GRADED_TEST(Lab06Http, SlowServerHitsTheTransferTimeout, 5) {
    ServerProcess server("netlab_http_peer", listen_args());
    const auto started = Clock::now();
    ChildProcess get("qt_http_get", {"--timeout-ms", "300", url(server, "/delay/20000")});
    get.close_stdin();
    EXPECT_EQ(get.wait_exit(15s), 28) << get.stderr_text();
    EXPECT_LT(Clock::now() - started, 10s) << "the timeout took far longer than 300 ms";
    EXPECT_NE(get.stderr_text().find("timeout"), std::string::npos) << "stderr: " << get.stderr_text();
}

GRADED_TEST(Lab06Http, FiftyMiBStreamToAFileInBoundedMemory, 7) {
    ServerProcess server("netlab_http_peer", listen_args());
    const TempDir dir;
    // AddressSanitizer keeps freed memory in a quarantine; a small one keeps RSS meaningful.
    const std::vector<std::string> env{"ASAN_OPTIONS=quarantine_size_mb=1:detect_leaks=0"};
    SCOPED_TRACE("a 64 KiB body first: the baseline peak memory of qt_http_get");
    const std::string small_out = dir.path() + "/small";
    const MeasuredRun small = run_measured("qt_http_get", {"-o", small_out, url(server, "/bytes/65536")},
                                           dir.path() + "/small.stdout", 20s, env);
    ASSERT_EQ(small.status, 0) << small.err;
    ASSERT_EQ(first_difference_from_pattern(small_out, 65536), "");

    SCOPED_TRACE("then 50 MiB with --progress");
    constexpr std::uint64_t kSize = 50ull << 20;
    const std::string big_out = dir.path() + "/big";
    const MeasuredRun big = run_measured(
        "qt_http_get", {"--progress", "-o", big_out, url(server, "/bytes/" + std::to_string(kSize))},
        dir.path() + "/big.stdout", 50s, env);
    ASSERT_EQ(big.status, 0) << big.err;
    EXPECT_EQ(first_difference_from_pattern(big_out, kSize), "");
    EXPECT_NE(big.err.find("progress: "), std::string::npos) << "no progress line on stderr";
    EXPECT_NE(big.err.find("/" + std::to_string(kSize) + " bytes"), std::string::npos)
        << "progress lines name the total; stderr: " << big.err.substr(0, 2000);
    const long grown = big.max_rss_kib - small.max_rss_kib;
    EXPECT_LT(grown, 16 * 1024) << "peak RSS " << big.max_rss_kib << " KiB for 50 MiB against "
                                << small.max_rss_kib << " KiB for 64 KiB: the body was held in memory";
}

REFERENCE_TEST(Lab06Http, CutBodyLeavesTheOldFileAndNoTemporary) {
    ServerProcess server("netlab_http_peer", listen_args());
    const TempDir dir;
    const std::string file = dir.path() + "/notes.txt";
    dir.write("notes.txt", "old\n");
    ChildProcess get("qt_http_get", {"-o", file, url(server, "/close-mid-body")});
    get.close_stdin();
    const auto status = get.wait_exit(15s);
    EXPECT_TRUE(status.has_value() && *status != 0) << describe_exit(status) << ": " << get.stderr_text();
    EXPECT_EQ(content_of(file), "old\n") << "a cut body was written over the file";
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"notes.txt"}) << "a temporary was left";

    SCOPED_TRACE("a whole body replaces it");
    ChildProcess whole("qt_http_get", {"-o", file, url(server, "/bytes/4096")});
    whole.close_stdin();
    EXPECT_EQ(whole.wait_exit(15s), 0) << whole.stderr_text();
    EXPECT_EQ(first_difference_from_pattern(file, 4096), "");
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"notes.txt"});
}

REFERENCE_TEST(Lab06Http, InterruptLeavesTheOldFileAndNoTemporary) {
    ServerProcess server("netlab_http_peer", listen_args());
    const TempDir dir;
    const std::string file = dir.path() + "/notes.txt";
    dir.write("notes.txt", "old\n");
    // 1000 chunks, one per 20 ms: 20 s of body, far longer than this test waits.
    ChildProcess get("qt_http_get", {"-o", file, url(server, "/stream/1000?interval_ms=20")});
    get.close_stdin();
    const bool mid_body = wait_until([&] { return dir.holds_bytes_besides("notes.txt"); }, 10s);
    ASSERT_TRUE(mid_body) << "no temporary with bytes in it appeared; stderr: " << get.stderr_text();
    get.send_signal(SIGINT);
    const auto status = get.wait_exit(10s);
    EXPECT_EQ(status, std::optional<int>(130)) << describe_exit(status) << ": " << get.stderr_text();
    EXPECT_NE(get.stderr_text().find("interrupted"), std::string::npos) << get.stderr_text();
    EXPECT_EQ(content_of(file), "old\n");
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"notes.txt"}) << "a temporary was left";
}

}  // namespace
}  // namespace netlab::testing
