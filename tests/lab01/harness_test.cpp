// The harness itself: what a failing test says about a lab program must be whole and true, since
// a learner reads it to decide what to fix. These run /bin/sh as a stand-in for a lab program.

#include <stdexcept>
#include <string>

#include "child_process.hpp"
#include "deadline.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

/// What wait_listening threw for this child, or "" if it returned.
std::string listening_failure(ChildProcess& child, std::chrono::milliseconds timeout) {
    try {
        child.wait_listening(timeout);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

REFERENCE_TEST(Lab01Harness, AServerThatDiesAtOnceIsQuotedWhole) {
    const std::string last_words = "error: TODO lab01: listen_tcp is not written yet";
    ChildProcess child("/bin/sh", {"-c", "printf '%s\\n' '" + last_words + "' >&2; exit 1"});
    const std::string said = listening_failure(child, 10s);
    EXPECT_NE(said.find("exited (exit status 1)"), std::string::npos) << said;
    EXPECT_NE(said.find(last_words), std::string::npos) << "the stderr line must be whole: " << said;
    EXPECT_EQ(said.find("within"), std::string::npos) << "it died; it did not run out of time: " << said;
}

REFERENCE_TEST(Lab01Harness, ASilentServerIsStillRunningWhenTimeRunsOut) {
    ChildProcess child("/bin/sh", {"-c", "exec sleep 30"});
    const std::string said = listening_failure(child, 200ms);
    EXPECT_NE(said.find("printed nothing on stdout within 200 ms"), std::string::npos) << said;
}

REFERENCE_TEST(Lab01Harness, AWrongFirstLineIsQuoted) {
    ChildProcess child("/bin/sh", {"-c", "echo 'listening at 127.0.0.1:80'; exec sleep 30"});
    const std::string said = listening_failure(child, 10s);
    EXPECT_NE(said.find("its first stdout line was 'listening at 127.0.0.1:80'"), std::string::npos) << said;
}

}  // namespace
}  // namespace netlab::testing
