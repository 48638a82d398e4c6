#pragma once
// Byte helpers for tests: deterministic random payloads and a hex dump of the first difference.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace netlab::testing {

/// n pseudo-random bytes from a fixed seed (the same every run).
std::string random_bytes(std::size_t n, std::uint32_t seed = 2024);

/// A message for two byte strings: sizes, the offset of the first difference, and a hex dump
/// of both around it. Empty when they are equal.
std::string describe_difference(std::string_view expected, std::string_view actual);

/// GoogleTest predicate: passes when equal, otherwise explains with describe_difference.
::testing::AssertionResult BytesEqual(const char* expected_expr, const char* actual_expr,
                                      std::string_view expected, std::string_view actual);

}  // namespace netlab::testing

/// EXPECT/ASSERT that two byte strings are equal, with a hex dump around the first difference.
#define EXPECT_BYTES_EQ(expected, actual) EXPECT_PRED_FORMAT2(::netlab::testing::BytesEqual, expected, actual)
#define ASSERT_BYTES_EQ(expected, actual) ASSERT_PRED_FORMAT2(::netlab::testing::BytesEqual, expected, actual)
