#pragma once
// This file shows:
//  - the one error type of this lab: every transfer that fails, in the easy or the multi
//    interface, becomes a CurlError carrying the CURLcode, libcurl's text for it and the
//    error buffer's detail (which names the host, the port, the certificate problem, ...);
//  - that an HTTP status such as 404 is NOT an error here: it is a Response (see response.hpp).

#include <curl/curl.h>

#include <stdexcept>
#include <string>

namespace netlab::curl {

/// The detail of a CurlError for a response header line over libcurl's 100 KiB limit
/// (CURL_MAX_HTTP_HEADER); with it, what() says "response header too large" where libcurl 7.88
/// would say "Out of memory".
inline constexpr const char* kHeaderTooLarge = "a header line over libcurl's limit of 100 KiB";

/// A transfer that failed below HTTP: no connection, timeout, TLS, a cut body, an aborted sink.
class CurlError : public std::runtime_error {
public:
    /// call names the failing libcurl call; detail is the error buffer (may be empty).
    CurlError(std::string call, CURLcode code, std::string detail);

    /// The libcurl result code, e.g. CURLE_OPERATION_TIMEDOUT.
    [[nodiscard]] CURLcode code() const noexcept { return code_; }
    /// The libcurl call that failed, e.g. "curl_easy_perform".
    [[nodiscard]] const std::string& call() const noexcept { return call_; }
    /// The error buffer's text (CURLOPT_ERRORBUFFER) or our own reason; "" when there was none.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

private:
    std::string call_;
    CURLcode code_;
    std::string detail_;
};

/// Throws CurlError(call, code, "") unless code is CURLE_OK.
void check(const char* call, CURLcode code);

/// Throws std::runtime_error naming call unless code is CURLM_OK. A multi-handle error is a bug
/// or an out-of-memory, never the outcome of one transfer, so it is not a CurlError.
void check_multi(const char* call, CURLMcode code);

}  // namespace netlab::curl
