// Lab 07: HTTPS with verification ON, against the HTTP test peer speaking TLS with a CA made at
// test time (openssl CLI): trusted with CAINFO, refused without it, refused for the wrong host name.

#include <gtest/gtest.h>

#include <string>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/easy_handle.hpp"
#include "deadline.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "outcome_check.hpp"
#include "test_pki.hpp"

namespace nc = netlab::curl;
using namespace netlab::testing;

namespace {

const std::string kBody = "hello from netlab_http_peer\n";  // the peer's /hello.txt

/// The peer over TLS with a fresh PKI; the folder holds the keys until the test ends.
struct TlsFixture {
    TempDir folder;
    TestPki pki = make_test_pki(folder.path());
    LocalServer server{{"--cert", pki.server.certificate, "--key", pki.server.key}};
    [[nodiscard]] std::string url(const std::string& host) const {
        return "https://" + host + ":" + std::to_string(server.port()) + "/hello.txt";
    }
    /// What the peer logged of the client's connection: "request" if a request got through,
    /// "refused" if the TLS handshake failed or the client left before sending a request (curl
    /// checks the host name after the handshake), "" if neither within 10 s.
    std::string peer_saw() {
        std::string verdict;
        wait_until(
            [&] {
                const std::string log = server.log();
                const auto logged = [&log](const char* text) { return log.find(text) != std::string::npos; };
                if (logged("GET /hello.txt")) {
                    verdict = "request";
                } else if (logged("TLS handshake failed") || logged("before any request")) {
                    verdict = "refused";
                }
                return !verdict.empty();
            },
            10s);
        return verdict;
    }
};

nc::Request to(const std::string& url) {
    nc::Request request;
    request.url = url;
    request.timeout = std::chrono::seconds(20);
    return request;
}

}  // namespace

GRADED_TEST(Lab07Tls, SucceedsWithTheTestCaTrusted, 2) {
    const TlsFixture tls;
    nc::EasyHandle handle;
    nc::Request request = to(tls.url("localhost"));
    request.ca_file = tls.pki.ca_certificate;
    const nc::Response response = response_of(handle.perform(request));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, kBody);
    EXPECT_GT(response.timings.tls_handshake, response.timings.connect) << "no TLS handshake was timed";
    SCOPED_TRACE("http_get --cacert does the same");
    const auto run =
        run_program("http_get", {"-s", "--cacert", tls.pki.ca_certificate, tls.url("localhost")});
    EXPECT_EQ(run.status, 0) << run.describe();
    EXPECT_EQ(run.out, kBody);
}

GRADED_TEST(Lab07Tls, FailsVerificationWithoutTheCa, 1) {
    TlsFixture tls;
    nc::EasyHandle handle;
    const nc::CurlError error =
        error_of(handle.perform(to(tls.url("localhost"))));  // the system store lacks our CA
    EXPECT_EQ(error.code(), CURLE_PEER_FAILED_VERIFICATION) << error.what();
    EXPECT_NE(error.detail().find("certificate"), std::string::npos) << error.what();
    EXPECT_EQ(tls.peer_saw(), "refused") << "the request was sent to an unverified server";
    const auto run = run_program("http_get", {"-s", tls.url("localhost")});
    EXPECT_EQ(run.status, 60) << run.describe();
}

GRADED_TEST(Lab07Tls, FailsWhenTheHostNameDoesNotMatch, 1) {
    TlsFixture tls;
    nc::EasyHandle handle;
    nc::Request request = to(tls.url("127.0.0.1"));  // the certificate names "localhost" only
    request.ca_file = tls.pki.ca_certificate;
    const nc::CurlError error = error_of(handle.perform(request));
    EXPECT_EQ(error.code(), CURLE_PEER_FAILED_VERIFICATION) << error.what();
    EXPECT_NE(error.detail().find("127.0.0.1"), std::string::npos) << error.what();
    EXPECT_EQ(tls.peer_saw(), "refused") << "the request was sent to the wrong host";
}
