#pragma once
// Lab 07 tests of one exercise at a time. EasyHandle::perform runs prepare (and so apply), then
// curl_easy_perform (and so on_header and on_body), then finish: a test through perform needs all
// of them. These helpers take the first step alone, through EasyHandle's friend TransferSteps,
// and run curl_easy_perform themselves:
//  - perform_request_options_only sets only what apply_request_options sets (and the given start
//    of apply), so it grades exercise 2 without apply_transfer_policy (exercise 3);
//  - perform_with_own_callbacks replaces the write and header callbacks with the test's own, so
//    what it sees comes from apply's options only (exercises 2 and 3);
//  - perform_without_finish keeps the handle's callbacks and returns the CURLcode, so it needs
//    apply, on_header and on_body, and never finish (exercise 4).

#include <curl/curl.h>

#include <string>
#include <utility>

#include "07_libcurl/easy_handle.hpp"
#include "07_libcurl/request.hpp"

namespace netlab::curl::detail {

/// The friend of EasyHandle that these tests use (declared in easy_handle.hpp).
struct TransferSteps {
    /// EasyHandle::prepare: a fresh transfer, and apply() when request differs from the last one.
    static void prepare(EasyHandle& easy, const Request& request, BodySink sink) {
        easy.prepare(request, std::move(sink), {});
    }
    /// Only the given start of apply and apply_request_options: no transfer policy.
    static void apply_request_options_only(EasyHandle& easy, const Request& request) {
        easy.start_options(request);
        easy.apply_request_options(request);
    }
};

}  // namespace netlab::curl::detail

namespace netlab::testing {

/// What one transfer on apply's options, with the test's own callbacks, received.
struct RawTransfer {
    CURLcode result = CURLE_OK;  ///< what curl_easy_perform returned
    long status = 0;             ///< CURLINFO_RESPONSE_CODE
    std::string head;            ///< every header line received, CRLFs included, redirect hops too
    std::string body;            ///< the body received
    std::string effective_url;   ///< CURLINFO_EFFECTIVE_URL
    long new_connections = 0;    ///< CURLINFO_NUM_CONNECTS
    /// One line for failure messages.
    [[nodiscard]] std::string describe() const;
};

/// prepare (so apply) on easy, then the test's own CURLOPT_WRITEFUNCTION and HEADERFUNCTION (and
/// their data) in place of on_body and on_header, then curl_easy_perform; finish is not called.
/// Afterwards the handle's callbacks refuse every byte until apply sets them again: on that handle,
/// use this function again, or a request that differs from this one.
RawTransfer perform_with_own_callbacks(curl::EasyHandle& easy, const curl::Request& request);

/// Like perform_with_own_callbacks, but instead of prepare only apply's given start and
/// apply_request_options, plus the test's own CURLOPT_TIMEOUT_MS of request.timeout. Use it on a
/// handle of its own: prepare does not know what it set.
RawTransfer perform_request_options_only(curl::EasyHandle& easy, const curl::Request& request);

/// prepare (so apply) on easy with sink (empty: the body is kept in the handle), then
/// curl_easy_perform with the handle's own callbacks. Returns its CURLcode; finish is not called.
CURLcode perform_without_finish(curl::EasyHandle& easy, const curl::Request& request,
                                curl::BodySink sink = {});

}  // namespace netlab::testing
