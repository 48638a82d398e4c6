#pragma once
// This file shows:
//  - a plain Response: the status, the final response's headers, the body (unless a sink took
//    it), where we ended up after redirects, curl's timing breakdown and how many NEW
//    connections the transfer opened (0 means a kept-alive connection was reused);
//  - that a 404 or a 500 is a Response with that status, not an exception: HTTP errors are
//    not transport errors, and the caller decides what a 404 means (http_get -f, for one).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netlab::curl {

/// One response header field, as received (the name keeps its case).
struct Header {
    std::string name;
    std::string value;
};

/// When each phase of the transfer ended, measured from its start (curl's *_TIME_T infos).
struct Timings {
    std::chrono::microseconds name_lookup{};    ///< DNS done (CURLINFO_NAMELOOKUP_TIME_T)
    std::chrono::microseconds connect{};        ///< TCP connected (CONNECT_TIME_T)
    std::chrono::microseconds tls_handshake{};  ///< TLS done, 0 for http:// (APPCONNECT_TIME_T)
    std::chrono::microseconds pretransfer{};    ///< about to send the request (PRETRANSFER_TIME_T)
    std::chrono::microseconds first_byte{};     ///< first response byte (STARTTRANSFER_TIME_T)
    std::chrono::microseconds total{};          ///< everything, redirects included (TOTAL_TIME_T)
    std::chrono::microseconds redirect{};       ///< time spent in redirects before the last hop
};

/// What came back. Plain data.
struct Response {
    long status = 0;               ///< the final HTTP status, e.g. 200 or 404
    std::vector<Header> headers;   ///< the final response's fields (redirect hops are dropped)
    std::string body;              ///< empty when a BodySink received the body
    std::string effective_url;     ///< the last URL fetched (differs after followed redirects)
    Timings timings;               ///< curl's timing breakdown
    long new_connections = 0;      ///< connections opened for this transfer (CURLINFO_NUM_CONNECTS)
    std::uint64_t body_bytes = 0;  ///< body bytes received (CURLINFO_SIZE_DOWNLOAD_T)

    /// The first header named name (compared without case), or nullopt.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
    /// True for 400 and above: the server answered, and the answer is "no".
    [[nodiscard]] bool is_http_error() const noexcept { return status >= 400; }
};

}  // namespace netlab::curl
