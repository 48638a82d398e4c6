// labs/common is the course's scaffolding (not an exercise): the command line, the log and the
// accept-error rule every later lab stands on. Lab 01 is the first to use them, so they are
// checked here, in-process, without sockets.

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/accept_error.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"
#include "graded.hpp"

namespace {

/// argv for CommandLine::parse from a list of words (argv[0] first).
class Argv {
public:
    explicit Argv(std::vector<std::string> words) : words_(std::move(words)) {
        for (auto& word : words_) {
            pointers_.push_back(word.data());
        }
    }
    [[nodiscard]] int argc() const { return static_cast<int>(pointers_.size()); }
    [[nodiscard]] char** argv() { return pointers_.data(); }

private:
    std::vector<std::string> words_;
    std::vector<char*> pointers_;
};

REFERENCE_TEST(Lab01Common, RepeatableOptionKeepsEveryValueInOrder) {
    netlab::CommandLine cli("prog", "test");
    cli.repeatable("-H,--header", "LINE", "a header").option("--name", "NAME", "a name");
    cli.positionals("WORD", "a word", 0, 1);
    Argv args({"prog", "-H", "a: 1", "--name", "x", "--header=b: 2", "--name=y", "-H", "c: 3", "--", "-H"});
    ASSERT_TRUE(cli.parse(args.argc(), args.argv()));
    EXPECT_EQ(cli.all("--header"), (std::vector<std::string>{"a: 1", "b: 2", "c: 3"}));
    EXPECT_EQ(cli.get("--header"), "c: 3");
    EXPECT_EQ(cli.all("--name"), (std::vector<std::string>{"y"})) << "a plain option keeps its last value";
    EXPECT_TRUE(cli.all("--missing").empty());
    EXPECT_EQ(cli.args(), (std::vector<std::string>{"-H"})) << "after --, -H is a word";
}

REFERENCE_TEST(Lab01Common, HelpNamesCanLeaveDashHToAnOption) {
    netlab::CommandLine usual("prog", "test");
    Argv help({"prog", "-h"});
    EXPECT_FALSE(usual.parse(help.argc(), help.argv())) << "-h asks for help by default";

    netlab::CommandLine mqtt("prog", "test");
    mqtt.help_names("--help").option("-h,--host", "HOST", "the broker");
    Argv host({"prog", "-h", "broker.local"});
    ASSERT_TRUE(mqtt.parse(host.argc(), host.argv()));
    EXPECT_EQ(mqtt.get("--host"), "broker.local");
    EXPECT_NE(mqtt.usage().find("  --help "), std::string::npos) << mqtt.usage();
    EXPECT_EQ(mqtt.usage().find("-h, --help"), std::string::npos) << mqtt.usage();
}

REFERENCE_TEST(Lab01Common, LogLinesCarryTheProgramNameAndReachTheSink) {
    const std::string before = netlab::log::program();
    netlab::log::set_program("tester");
    std::vector<std::string> lines;
    {
        const netlab::log::ScopedSink sink([&](std::string_view line) { lines.emplace_back(line); });
        netlab::log::line("one");
        netlab::log::line("two");
    }
    netlab::log::set_program(before);
    EXPECT_EQ(lines, (std::vector<std::string>{"tester: one", "tester: two"}));
}

REFERENCE_TEST(Lab01Common, LogLinesFromManyThreadsStayWhole) {
    std::vector<std::string> lines;
    const netlab::log::ScopedSink sink([&](std::string_view line) { lines.emplace_back(line); });
    const std::string text(200, 'x');
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 100; ++i) {
                    netlab::log::line(text);
                }
            });
        }
    }
    ASSERT_EQ(lines.size(), 400u);
    for (const auto& line : lines) {
        ASSERT_EQ(line, netlab::log::program() + ": " + text);
    }
}

REFERENCE_TEST(Lab01Common, AcceptErrorsAreClassifiedOnce) {
    using netlab::AcceptError;
    for (int error : {EINTR, EAGAIN, ECONNABORTED, EPROTO, EPERM, ENETDOWN, EHOSTUNREACH, ENETUNREACH}) {
        EXPECT_EQ(netlab::classify_accept_error(error), AcceptError::retry) << "errno " << error;
    }
    for (int error : {EMFILE, ENFILE, ENOBUFS, ENOMEM}) {
        EXPECT_EQ(netlab::classify_accept_error(error), AcceptError::out_of_resources) << "errno " << error;
    }
    for (int error : {EBADF, EINVAL, ENOTSOCK}) {
        EXPECT_EQ(netlab::classify_accept_error(error), AcceptError::fatal) << "errno " << error;
    }
}

}  // namespace
