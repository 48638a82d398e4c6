// Lab 08, the topic rules as pure functions: a table built from the MQTT 3.1.1 specification's
// own examples (section 4.7), then the validation of names and filters. No broker, no socket.

#include <string>
#include <vector>

#include "08_mqtt/topic.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using mqtt::topic_matches;
using mqtt::TopicCheck;
using mqtt::validate_topic_filter;
using mqtt::validate_topic_name;

struct Row {
    std::string filter;
    std::string topic;
    bool matches;
};

void check_rows(const std::vector<Row>& rows) {
    for (const auto& row : rows) {
        EXPECT_EQ(topic_matches(row.filter, row.topic), row.matches)
            << "filter '" << row.filter << "' topic '" << row.topic << "'";
    }
}

GRADED_TEST(Lab08Topic, MatchesTheSpecificationsExamples, 7) {
    check_rows({
        // 4.7.1.2: the multi-level wildcard, which also matches its parent level.
        {"sport/tennis/player1/#", "sport/tennis/player1", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
        {"sport/#", "sport", true},
        {"#", "sport/tennis/player1", true},
        {"#", "a", true},
        {"sport/tennis/player1/#", "sport/tennis/player2", false},
        {"sport/tennis/player1/#", "sport/tennis", false},
        // 4.7.1.3: the single-level wildcard is exactly one level.
        {"sport/tennis/+", "sport/tennis/player1", true},
        {"sport/tennis/+", "sport/tennis/player2", true},
        {"sport/tennis/+", "sport/tennis/player1/ranking", false},
        {"sport/+", "sport", false},
        {"sport/+", "sport/", true},
        {"+/tennis/#", "sport/tennis/player1", true},
        {"+/tennis/#", "sport/tennis", true},
        {"sport/+/player1", "sport/tennis/player1", true},
        // plain filters: exact, case-sensitive, level by level.
        {"sport/tennis", "sport/tennis", true},
        {"sport/tennis", "Sport/tennis", false},
        {"sport/tennis", "sport/tennis/", false},
        {"sport", "sport/tennis", false},
        {"ACCOUNTS", "Accounts", false},
        {"site/+/sensor/+", "site/lab/sensor/s1", true},
        {"site/+/sensor/+", "site/lab/sensor/s1/status", false},
    });
}

GRADED_TEST(Lab08Topic, LeadingWildcardsNeverMatchDollarTopics, 3) {
    check_rows({
        {"#", "$SYS/broker/uptime", false},
        {"+/monitor/Clients", "$SYS/monitor/Clients", false},
        {"$SYS/#", "$SYS/monitor/Clients", true},
        {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
        {"$SYS", "$SYS", true},
        {"a/$b/#", "a/$b/c", true},
        {"+/$b", "a/$b", true},
    });
}

GRADED_TEST(Lab08Topic, EmptyLevelsAreRealLevels, 3) {
    check_rows({
        {"+/+", "/finance", true},
        {"/+", "/finance", true},
        {"+", "/finance", false},
        {"/finance", "/finance", true},
        {"finance", "/finance", false},
        {"a//b", "a//b", true},
        {"a/+/b", "a//b", true},
        {"a/b", "a//b", false},
        {"#", "/", true},
        {"+", "/", false},
        {"+/+", "/", true},
        {"/#", "/", true},
    });
}

GRADED_TEST(Lab08Topic, ValidatesFilters, 5) {
    for (const char* ok : {"#", "+", "sport/#", "sport/+/player1", "+/+", "/", "//", "+/tennis/#", "a/ /b",
                           "$SYS/#", "caf\xC3\xA9/+", "\xE4\xB8\xBB\xE9\xA2\x98/#"}) {
        EXPECT_EQ(validate_topic_filter(ok), TopicCheck::ok) << ok;
    }
    const std::vector<std::pair<std::string, TopicCheck>> bad = {
        {"", TopicCheck::empty},
        {"sport/tennis#", TopicCheck::misplaced_hash},
        {"sport/tennis/#/ranking", TopicCheck::misplaced_hash},
        {"#/", TopicCheck::misplaced_hash},
        {"##", TopicCheck::misplaced_hash},
        {"sport+", TopicCheck::misplaced_plus},
        {"+sport", TopicCheck::misplaced_plus},
        {"sport/+tennis", TopicCheck::misplaced_plus},
        {"++", TopicCheck::misplaced_plus},
        {std::string("a\0b", 3), TopicCheck::has_nul},
        {"bad\xFF", TopicCheck::bad_utf8},
        {"\xC0\xAF", TopicCheck::bad_utf8},      // an overlong '/'
        {"\xED\xA0\x80", TopicCheck::bad_utf8},  // a UTF-16 surrogate
        {"cut\xE4\xB8", TopicCheck::bad_utf8},
        {std::string(65536, 'a'), TopicCheck::too_long},
    };
    for (const auto& [filter, expected] : bad) {
        EXPECT_EQ(validate_topic_filter(filter), expected)
            << "filter of " << filter.size() << " bytes: " << filter.substr(0, 40);
    }
    EXPECT_EQ(validate_topic_filter(std::string(65535, 'a')), TopicCheck::ok);
    EXPECT_FALSE(topic_matches("sport/tennis#", "sport/tennis")) << "an invalid filter matches nothing";
}

GRADED_TEST(Lab08Topic, ValidatesTopicNames, 4) {
    for (const char* ok : {"a", "/", "sport/tennis/player1", "$SYS/x", " ", "a//b", "caf\xC3\xA9"}) {
        EXPECT_EQ(validate_topic_name(ok), TopicCheck::ok) << ok;
    }
    for (const char* wild : {"#", "+", "sport/#", "sport/+/x", "a+b", "a#"}) {
        EXPECT_EQ(validate_topic_name(wild), TopicCheck::wildcard_in_name) << wild;
    }
    EXPECT_EQ(validate_topic_name(""), TopicCheck::empty);
    EXPECT_EQ(validate_topic_name(std::string("a\0", 2)), TopicCheck::has_nul);
    EXPECT_EQ(validate_topic_name("\x80"), TopicCheck::bad_utf8);
    EXPECT_EQ(validate_topic_name(std::string(65536, 'x')), TopicCheck::too_long);
    EXPECT_FALSE(topic_matches("#", "a/+")) << "a topic name with a wildcard matches nothing";
    EXPECT_FALSE(topic_matches("#", ""));
}

}  // namespace
}  // namespace netlab::testing
