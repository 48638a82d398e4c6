// Lab 09, the opening handshake as pure functions: the accept key, the incremental request parser
// with its bounds, and the upgrade rules with the HTTP status each refusal earns.

#include <string>

#include "09_websocket/protocol/accept_key.hpp"
#include "09_websocket/protocol/http_head.hpp"
#include "09_websocket/protocol/upgrade.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

namespace ws = netlab::websocket;

ws::UpgradeCheck check(const std::string& request) {
    const ws::HeadResult parsed = ws::parse_request_head(request);
    EXPECT_TRUE(parsed) << "did not parse: " << parsed.error;
    return ws::check_upgrade_request(parsed.head);
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

GRADED_TEST(Lab09Handshake, AcceptKeyMatchesTheRfcExample, 2) {
    EXPECT_EQ(ws::accept_key(kSampleKey), kSampleAccept);
    EXPECT_EQ(ws::accept_key("x3JJHMbDL1EzLkh9GBhXDw=="), "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
    const std::string response = ws::upgrade_response(kSampleKey);
    EXPECT_EQ(response.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << response;
    EXPECT_NE(response.find("Sec-WebSocket-Accept: " + std::string(kSampleAccept) + "\r\n"),
              std::string::npos);
    EXPECT_TRUE(response.ends_with("\r\n\r\n"));
    EXPECT_EQ(ws::random_key().size(), 24u);
    EXPECT_NE(ws::random_key(), ws::random_key());
}

GRADED_TEST(Lab09Handshake, ParsesARequestFedOneByteAtATime, 3) {
    const std::string request = sample_request("/chat?room=1", "Origin: http://example.com\r\n");
    const std::string after = "\x81\x85";  // the first frame, sent right behind the head
    const std::string stream = request + after;
    for (std::size_t n = 0; n < request.size(); ++n) {
        const ws::HeadResult partial = ws::parse_request_head(stream.substr(0, n));
        ASSERT_EQ(partial.status, ParseStatus::need_more) << "after " << n << " bytes: " << partial.error;
    }
    const ws::HeadResult parsed = ws::parse_request_head(stream);
    ASSERT_TRUE(parsed) << parsed.error;
    EXPECT_EQ(parsed.consumed, request.size());
    EXPECT_EQ(parsed.head.method, "GET");
    EXPECT_EQ(parsed.head.target, "/chat?room=1");
    EXPECT_EQ(parsed.head.version, "HTTP/1.1");
    EXPECT_EQ(parsed.head.field("origin").value_or(""), "http://example.com");
    EXPECT_TRUE(parsed.head.has_token("CONNECTION", "upgrade"));
    const ws::UpgradeCheck ok = ws::check_upgrade_request(parsed.head);
    EXPECT_TRUE(ok) << ok.error;
    EXPECT_EQ(ok.key, kSampleKey);
    EXPECT_EQ(ok.path, "/chat?room=1");
    // A browser's Connection header lists several tokens.
    EXPECT_TRUE(check(replace(sample_request(), "Connection: Upgrade", "Connection: keep-alive, Upgrade")));

    const ws::HeadResult response = ws::parse_response_head(ws::upgrade_response(kSampleKey));
    ASSERT_TRUE(response) << response.error;
    EXPECT_EQ(response.head.status, 101);
    EXPECT_EQ(ws::check_upgrade_response(response.head, kSampleKey), "");
    EXPECT_NE(ws::check_upgrade_response(response.head, "AQIDBAUGBwgJCgsMDQ4PEA=="), "");
}

GRADED_TEST(Lab09Handshake, RefusesBadRequestsWithTheRightStatus, 3) {
    const std::string good = sample_request();
    {
        SCOPED_TRACE("POST: 405 with Allow: GET");
        const ws::UpgradeCheck c = check(replace(good, "GET", "POST"));
        EXPECT_EQ(c.http_status, 405);
        EXPECT_NE(c.extra_fields.find("Allow: GET"), std::string::npos);
    }
    {
        SCOPED_TRACE("version 8: 426 naming version 13");
        const ws::UpgradeCheck c = check(replace(good, "Version: 13", "Version: 8"));
        EXPECT_EQ(c.http_status, 426);
        EXPECT_NE(c.extra_fields.find("Sec-WebSocket-Version: 13"), std::string::npos);
    }
    {
        SCOPED_TRACE("no Sec-WebSocket-Key: 400");
        EXPECT_EQ(
            check(replace(good, "Sec-WebSocket-Key: " + std::string(kSampleKey) + "\r\n", "")).http_status,
            400);
    }
    {
        SCOPED_TRACE("a key that is not 16 bytes of base64: 400");
        EXPECT_EQ(check(replace(good, kSampleKey, "c2hvcnQ=")).http_status, 400);
    }
    {
        SCOPED_TRACE("no Upgrade: a plain HTTP request, 426");
        const ws::UpgradeCheck c = check(replace(good, "Upgrade: websocket\r\n", ""));
        EXPECT_EQ(c.http_status, 426);
        EXPECT_FALSE(c.is_websocket);
    }
    {
        SCOPED_TRACE("no Connection: Upgrade: 400");
        EXPECT_EQ(check(replace(good, "Connection: Upgrade", "Connection: keep-alive")).http_status, 400);
    }
    {
        SCOPED_TRACE("bare LF line ends: 400 from the parser");
        const ws::HeadResult parsed = ws::parse_request_head("GET / HTTP/1.1\nHost: x\n\n");
        EXPECT_EQ(parsed.status, ParseStatus::error);
        EXPECT_EQ(parsed.http_status, 400);
    }
    {
        SCOPED_TRACE("obsolete line folding: 400");
        const ws::HeadResult parsed = ws::parse_request_head("GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n");
        EXPECT_EQ(parsed.http_status, 400);
    }
}

GRADED_TEST(Lab09Handshake, FieldsThatMustNotRepeatAreRefused, 1) {
    const std::string key_line = "Sec-WebSocket-Key: " + std::string(kSampleKey) + "\r\n";
    {
        SCOPED_TRACE("a second Sec-WebSocket-Key, another value: 400, not the first one answered");
        const ws::UpgradeCheck c =
            check(sample_request("/", "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"));
        EXPECT_EQ(c.http_status, 400) << "accepted with key " << c.key;
    }
    {
        SCOPED_TRACE("the same Sec-WebSocket-Key twice: 400 (RFC 6455 11.3.1: not more than once)");
        EXPECT_EQ(check(sample_request("/", key_line)).http_status, 400);
    }
    {
        SCOPED_TRACE("Sec-WebSocket-Version twice: 400 (RFC 6455 11.3.5)");
        EXPECT_EQ(check(sample_request("/", "Sec-WebSocket-Version: 13\r\n")).http_status, 400);
    }
    {
        SCOPED_TRACE("Host twice: 400 (RFC 9112 3.2)");
        EXPECT_EQ(check(sample_request("/", "Host: example.com\r\n")).http_status, 400);
    }
    {
        SCOPED_TRACE("list fields may repeat: Connection and Upgrade on two lines each");
        const ws::UpgradeCheck c =
            check(sample_request("/", "Connection: keep-alive\r\nUpgrade: websocket\r\n"));
        EXPECT_TRUE(c) << c.error;
    }
    {
        SCOPED_TRACE("the client side: a 101 with two Sec-WebSocket-Accept lines is refused");
        std::string reply = ws::upgrade_response(kSampleKey);
        reply.insert(reply.size() - 2, "Sec-WebSocket-Accept: " + std::string(kSampleAccept) + "\r\n");
        const ws::HeadResult parsed = ws::parse_response_head(reply);
        ASSERT_TRUE(parsed) << parsed.error;
        EXPECT_NE(ws::check_upgrade_response(parsed.head, kSampleKey), "");
    }
}

GRADED_TEST(Lab09Handshake, FindsTheEndOfTheHeadWithinTheBound, 2) {
    const std::string head = "GET /chat HTTP/1.1\r\nHost: a\r\n\r\n";
    for (std::size_t n = 0; n < head.size(); ++n) {
        EXPECT_EQ(ws::find_head_end(head.substr(0, n)).status, ParseStatus::need_more) << n << " bytes";
    }
    const ws::HeadResult found = ws::find_head_end(head + "\x81\x80rest");
    ASSERT_TRUE(found) << found.error;
    EXPECT_EQ(found.consumed, head.size()) << "up to and including CRLF CRLF, not the bytes behind it";
    EXPECT_TRUE(found.head.fields.empty()) << "finding the end parses nothing";

    const ws::HeadResult bare = ws::find_head_end("GET / HTTP/1.1\nHost: a\n");
    EXPECT_EQ(bare.status, ParseStatus::error) << "a bare LF is refused before the end arrives";
    EXPECT_EQ(bare.http_status, 400);
    EXPECT_FALSE(bare.error.empty());

    ws::HeadLimits limits;
    limits.max_bytes = 64;
    const std::string filler = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a');
    const ws::HeadResult full = ws::find_head_end(filler.substr(0, 64), limits);
    EXPECT_EQ(full.status, ParseStatus::error) << "64 bytes arrived, no end among them";
    EXPECT_EQ(full.http_status, 431);
    EXPECT_EQ(ws::find_head_end(filler.substr(0, 63), limits).status, ParseStatus::need_more);
    std::string exact = "GET / HTTP/1.1\r\nX: ";
    exact += std::string(64 - exact.size() - 4, 'b') + "\r\n\r\n";
    ASSERT_EQ(exact.size(), 64u);
    const ws::HeadResult fits = ws::find_head_end(exact + "more", limits);
    ASSERT_TRUE(fits) << "a head of exactly max_bytes ends inside the bound: " << fits.error;
    EXPECT_EQ(fits.consumed, 64u);
    const std::string over = "GET / HTTP/1.1\r\nX: " + std::string(44, 'c') + "\r\n\r\n";
    EXPECT_EQ(ws::find_head_end(over, limits).http_status, 431) << "the end lies past max_bytes";
}

GRADED_TEST(Lab09Handshake, BoundsTheHeadSizeAndFieldCount, 3) {
    ws::HeadLimits limits;
    limits.max_bytes = 1024;
    limits.max_fields = 8;
    const std::string start = "GET / HTTP/1.1\r\nX-Filler: " + std::string(2000, 'a');
    const ws::HeadResult too_long = ws::parse_request_head(start.substr(0, 1024), limits);
    EXPECT_EQ(too_long.status, ParseStatus::error) << "1024 bytes without the empty line must be refused";
    EXPECT_EQ(too_long.http_status, 431);
    EXPECT_EQ(ws::parse_request_head(start.substr(0, 1023), limits).status, ParseStatus::need_more);

    std::string fits = "GET / HTTP/1.1\r\n";
    fits += "X-Filler: " + std::string(1024 - fits.size() - 14, 'b') + "\r\n\r\n";
    ASSERT_EQ(fits.size(), 1024u);
    EXPECT_TRUE(ws::parse_request_head(fits, limits)) << "a head of exactly max_bytes is allowed";

    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 9; ++i)
        many += "X-" + std::to_string(i) + ": v\r\n";
    const ws::HeadResult crowded = ws::parse_request_head(many + "\r\n", limits);
    EXPECT_EQ(crowded.http_status, 431) << crowded.error;
}

}  // namespace
}  // namespace netlab::testing::lab09
