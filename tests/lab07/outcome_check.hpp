#pragma once
// Lab 07 tests: what one transfer's Outcome holds. A check that expects a Response and gets an
// error (or the reverse) fails the test with what the Outcome did hold.

#include <gtest/gtest.h>

#include <string>

#include "07_libcurl/outcome.hpp"

namespace netlab::testing {

/// outcome's Response; a failed transfer adds a test failure naming its error and yields an
/// empty Response (status 0).
inline curl::Response response_of(const curl::Outcome& outcome) {
    if (!outcome) {
        ADD_FAILURE() << "the transfer failed: "
                      << (outcome.error ? outcome.error->what() : "no error either");
        return {};
    }
    return *outcome.response;
}

/// outcome's CurlError; a completed transfer adds a test failure naming its status and yields a
/// CurlError with CURLE_OK.
inline curl::CurlError error_of(const curl::Outcome& outcome) {
    if (outcome || !outcome.error) {
        ADD_FAILURE() << "the transfer did not fail: status "
                      << (outcome.response ? std::to_string(outcome.response->status) : "none");
        return curl::CurlError("none", CURLE_OK, "");
    }
    return *outcome.error;
}

}  // namespace netlab::testing
