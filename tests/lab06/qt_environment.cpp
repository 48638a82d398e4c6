// The QCoreApplication of the lab 06 test binary: created once on the main thread before the
// first test (GoogleTest's main is the course's, tests/support/main.cpp), destroyed after the last.

#include <gtest/gtest.h>

#include <QCoreApplication>

#include <memory>

namespace {

class QtEnvironment : public ::testing::Environment {
public:
    void SetUp() override { app_ = std::make_unique<QCoreApplication>(argc_, argv_); }
    void TearDown() override { app_.reset(); }

private:
    static inline char name_[] = "lab06_tests";
    static inline char* argv_[] = {name_, nullptr};
    static inline int argc_ = 1;
    std::unique_ptr<QCoreApplication> app_;
};

[[maybe_unused]] const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new QtEnvironment);

}  // namespace
