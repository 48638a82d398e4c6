// Lab 07: HTTPS with verification ON, against a test-side TLS server whose CA is made at test
// time (openssl CLI): trusted with CAINFO, refused without it, refused for the wrong host name.

#include <gtest/gtest.h>

#include <string>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "canned_server.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "test_pki.hpp"

namespace nc = netlab::curl;
using namespace netlab::testing;

namespace {

const std::string kReply = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, tls!\n";

/// A TLS server with a fresh PKI; the folder holds the keys until the test ends.
struct TlsFixture {
    TempDir folder;
    TestPki pki = make_test_pki(folder.path());
    CannedServer server{kReply, pki.server};
    [[nodiscard]] std::string url(const std::string& host) const {
        return "https://" + host + ":" + std::to_string(server.port()) + "/secret";
    }
};

nc::Request to(const std::string& url) {
    nc::Request request;
    request.url = url;
    request.timeout = std::chrono::seconds(20);
    return request;
}

}  // namespace

GRADED_TEST(Lab07Tls, SucceedsWithTheTestCaTrusted, 4) {
    const TlsFixture tls;
    nc::EasyHandle handle;
    nc::Request request = to(tls.url("localhost"));
    request.ca_file = tls.pki.ca_certificate;
    const nc::Response response = handle.perform(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "hello, tls!\n");
    EXPECT_GT(response.timings.tls_handshake, response.timings.connect) << "no TLS handshake was timed";
    SCOPED_TRACE("http_get --cacert does the same");
    const auto run =
        run_program("http_get", {"-s", "--cacert", tls.pki.ca_certificate, tls.url("localhost")});
    EXPECT_EQ(run.status, 0) << run.describe();
    EXPECT_EQ(run.out, "hello, tls!\n");
}

GRADED_TEST(Lab07Tls, FailsVerificationWithoutTheCa, 4) {
    const TlsFixture tls;
    nc::EasyHandle handle;
    try {
        handle.perform(to(tls.url("localhost")));  // the system store does not know our CA
        ADD_FAILURE() << "a certificate from an unknown CA was accepted";
    } catch (const nc::CurlError& error) {
        EXPECT_EQ(error.code(), CURLE_PEER_FAILED_VERIFICATION) << error.what();
        EXPECT_NE(error.detail().find("certificate"), std::string::npos) << error.what();
    }
    EXPECT_TRUE(tls.server.requests().empty()) << "the request was sent to an unverified server";
    const auto run = run_program("http_get", {"-s", tls.url("localhost")});
    EXPECT_EQ(run.status, 60) << run.describe();
}

GRADED_TEST(Lab07Tls, FailsWhenTheHostNameDoesNotMatch, 4) {
    const TlsFixture tls;
    nc::EasyHandle handle;
    nc::Request request = to(tls.url("127.0.0.1"));  // the certificate names "localhost" only
    request.ca_file = tls.pki.ca_certificate;
    try {
        handle.perform(request);
        ADD_FAILURE() << "a certificate for 'localhost' was accepted for 127.0.0.1";
    } catch (const nc::CurlError& error) {
        EXPECT_EQ(error.code(), CURLE_PEER_FAILED_VERIFICATION) << error.what();
        EXPECT_NE(error.detail().find("127.0.0.1"), std::string::npos) << error.what();
    }
    EXPECT_TRUE(tls.server.requests().empty()) << "the request was sent to the wrong host";
}
