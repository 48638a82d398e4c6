// The main of every graded test binary.
//   --netlab_list_points   prints the points table and exits (used by tools/grade.py)
// Otherwise it runs GoogleTest as usual, recording each test's points as a property.

#include <gtest/gtest.h>

#include <cstring>

#include "graded.hpp"

namespace {

class PointsRecorder : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo& info) override {
        const int points = netlab::testing::points_of(info.test_suite_name(), info.name());
        if (points >= 0) {
            ::testing::Test::RecordProperty("points", points);
        }
    }
};

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--netlab_list_points") == 0) {
            netlab::testing::print_points_table();
            return 0;
        }
    }
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::UnitTest::GetInstance()->listeners().Append(new PointsRecorder);
    return RUN_ALL_TESTS();
}
