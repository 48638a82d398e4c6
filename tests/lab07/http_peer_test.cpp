// The HTTP test peer's own contract (build/bin/netlab_http_peer, tests/support/http_peer), checked
// with raw sockets and no libcurl, so that a broken peer fails here, loudly, rather than making
// the lab's tests look wrong: the command line, the exact bytes of a few routes over one
// kept-alive connection, the limits on what a client may send, and a clean stop mid-reply.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>

#include <string>

#include "child_process.hpp"
#include "cli_contract.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

/// A connection to the peer.
UniqueFd connect_to_peer(const LocalServer& peer) {
    return connect_to("127.0.0.1", peer.port());
}

/// Sends request, then reads exactly the size of expected; what came back, or "<nothing>".
std::string ask(int fd, const std::string& request, const std::string& expected) {
    if (!send_within(fd, request, 5s)) {
        return "<send failed>";
    }
    return read_exactly(fd, expected.size(), 5s).value_or("<nothing>");
}

/// Sends request, then reads until the peer closes; what came back, or "<no EOF>".
std::string ask_until_closed(int fd, const std::string& request) {
    if (!send_within(fd, request, 5s)) {
        return "<send failed>";
    }
    return read_to_eof(fd, 10s).value_or("<no EOF>");
}

}  // namespace

REFERENCE_TEST(Lab07HttpPeer, CommandLineContract) {
    expect_help_contract({"netlab_http_peer"});
    expect_refused({
        {"netlab_http_peer", {"--listen", "nowhere"}},
        {"netlab_http_peer", {"--max-connections", "0"}},
        {"netlab_http_peer", {"--cert", "/nonexistent/cert.pem"}},
        {"netlab_http_peer", {"--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem"}},
        {"netlab_http_peer", {"--bogus"}},
    });
}

REFERENCE_TEST(Lab07HttpPeer, RoutesAnswerExactBytesOnOneKeptAliveConnection) {
    LocalServer peer;
    const UniqueFd fd = connect_to_peer(peer);
    SCOPED_TRACE("/status/201");
    const std::string created =
        "HTTP/1.1 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n\r\nstatus "
        "201\n";
    EXPECT_EQ(ask(fd.get(), "GET /status/201 HTTP/1.1\r\nHost: t\r\n\r\n", created), created);
    SCOPED_TRACE("/bytes/40 on the same connection: the counting pattern");
    const std::string bytes =
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 40\r\n\r\n"
        "000000000000000\n000000000000016\n00000000";
    EXPECT_EQ(ask(fd.get(), "GET /bytes/40 HTTP/1.1\r\nHost: t\r\n\r\n", bytes), bytes);
    SCOPED_TRACE("POST /echo: the body back with its Content-Type");
    const std::string echoed =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    EXPECT_EQ(
        ask(fd.get(),
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            echoed),
        echoed);
    SCOPED_TRACE("/redirect/1 and its Location");
    const std::string found =
        "HTTP/1.1 302 Found\r\nLocation: /redirect/0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: 27\r\n\r\nredirecting to /redirect/0\n";
    EXPECT_EQ(ask(fd.get(), "GET /redirect/1 HTTP/1.1\r\nHost: t\r\n\r\n", found), found);
    SCOPED_TRACE("/stream/2 in chunks, then Connection: close ends the connection");
    EXPECT_EQ(ask_until_closed(
                  fd.get(), "GET /stream/2?interval_ms=0 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
              "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
              "Connection: close\r\n\r\n"
              "16\r\n{\"chunk\": 0, \"of\": 2}\n\r\n16\r\n{\"chunk\": 1, \"of\": 2}\n\r\n0\r\n\r\n");
    const std::string log = peer.log();
    EXPECT_NE(log.find("netlab_http_peer: GET /status/201\n"), std::string::npos) << log;
    EXPECT_NE(log.find("netlab_http_peer: POST /echo\n"), std::string::npos) << log;
}

REFERENCE_TEST(Lab07HttpPeer, CutBodyAndRefusedRequestsCloseTheConnection) {
    LocalServer peer;
    SCOPED_TRACE("/close-mid-body: 1000 bytes announced, 100 sent, then EOF");
    const UniqueFd cut = connect_to_peer(peer);
    EXPECT_EQ(ask_until_closed(cut.get(), "GET /close-mid-body HTTP/1.1\r\nHost: t\r\n\r\n"),
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1000\r\n\r\n" +
                  std::string(100, 'x'));
    SCOPED_TRACE("a head over 16 KiB: 431");
    const UniqueFd huge = connect_to_peer(peer);
    const std::string padded = "GET / HTTP/1.1\r\nX-Padding: " + std::string(17 * 1024, 'a') + "\r\n\r\n";
    EXPECT_TRUE(ask_until_closed(huge.get(), padded).starts_with("HTTP/1.1 431 "));
    SCOPED_TRACE("a body over 1 MiB: 413, before a byte of it is read");
    const UniqueFd large = connect_to_peer(peer);
    EXPECT_TRUE(ask_until_closed(large.get(), "POST /echo HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n")
                    .starts_with("HTTP/1.1 413 "));
    SCOPED_TRACE("not HTTP at all: 400");
    const UniqueFd junk = connect_to_peer(peer);
    EXPECT_TRUE(ask_until_closed(junk.get(), "HELLO THERE\r\n\r\n").starts_with("HTTP/1.1 400 "));
}

REFERENCE_TEST(Lab07HttpPeer, StopsCleanlyWhileAReplyIsPending) {
    for (const int signal_number : {SIGINT, SIGTERM}) {
        SCOPED_TRACE("signal " + std::to_string(signal_number));
        ChildProcess peer("netlab_http_peer", {"--listen", "127.0.0.1:0"});
        const HostPort where = peer.wait_listening();
        const UniqueFd fd = connect_to("127.0.0.1", where.port);
        ASSERT_TRUE(send_within(fd.get(), "GET /delay/60000 HTTP/1.1\r\nHost: t\r\n\r\n", 5s));
        ASSERT_TRUE(
            wait_until([&] { return peer.stderr_text().find("GET /delay/60000") != std::string::npos; }, 10s))
            << peer.stderr_text();
        peer.send_signal(signal_number);
        EXPECT_EQ(peer.wait_exit(10s), std::optional<int>(0)) << peer.stderr_text();
        EXPECT_EQ(read_to_eof(fd.get(), 5s), std::optional<std::string>(""))
            << "the pending reply was not ended";
    }
}

}  // namespace netlab::testing
