#pragma once
// This file shows:
//  - the one result of a transfer, from the easy and the multi interface alike: a Response
//    (whatever its HTTP status) or the CurlError that ended the transfer below HTTP;
//  - the rule both interfaces keep: what the network and the peer can do to a transfer is a
//    value the caller must look at, never an exception that one of 200 transfers could throw.

#include <optional>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/response.hpp"

namespace netlab::curl {

/// An HTTP status, a timeout, a refused or reset connection are values; misuse and setup errors throw.
struct Outcome {
    std::optional<Response> response;  ///< set when the transfer completed
    std::optional<CurlError> error;    ///< set when it failed below HTTP
    /// True when response is set.
    explicit operator bool() const noexcept { return response.has_value(); }
};

}  // namespace netlab::curl
