#pragma once
// Graded tests: GRADED_TEST(Suite, Name, points) is a GoogleTest TEST that is worth points.
// The points are known before any test runs (a static registry), so the grader can score
// a test that crashed or hung as 0 of its points. Each test also records "points" as a
// GoogleTest property, so it shows in the XML/JSON reports.
//
// REFERENCE_TEST(Suite, Name) is a graded test worth 0 points: it checks behaviour of the
// course's own code that no exercise asks the learner to write (a program's file handling,
// a limit in a main). It must pass like any other test, but never moves a score.

#include <gtest/gtest.h>

#include <string>

namespace netlab::testing {

/// Registers "Suite.Name" as worth points; returns points. Called during static initialisation.
int register_points(const char* suite, const char* name, int points);

/// The points of a registered test, or -1 if it is not graded.
int points_of(const std::string& suite, const std::string& name);

/// Prints "Suite.Name<TAB>points" for every registered test, one per line.
void print_points_table();

}  // namespace netlab::testing

#define NETLAB_GRADED_CONCAT_(a, b) a##b
#define GRADED_TEST(suite, name, points)                                                      \
    [[maybe_unused]] static const int NETLAB_GRADED_CONCAT_(netlab_points_##suite##_, name) = \
        ::netlab::testing::register_points(#suite, #name, points);                            \
    TEST(suite, name)

#define REFERENCE_TEST(suite, name) GRADED_TEST(suite, name, 0)
