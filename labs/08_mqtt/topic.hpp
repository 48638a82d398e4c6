#pragma once
// This file shows:
//  - MQTT 3.1.1 topic names (what a PUBLISH carries) and topic filters (what a SUBSCRIBE asks for)
//    as PURE functions: validation and matching are tested from a table, and fuzzed, without a broker;
//  - the rules of section 4.7: '/' separates levels (empty levels are real levels), '+' is one whole
//    level, '#' is the last level and also matches its parent, and a filter that starts with a
//    wildcard never matches a topic that starts with '$' ($SYS/...).

#include <cstddef>
#include <string_view>

namespace netlab::mqtt {

/// The longest topic MQTT can carry: its length travels as a 16-bit number.
inline constexpr std::size_t kMaxTopicBytes = 65535;

/// What validate_topic_name / validate_topic_filter found; ok is the only good value.
enum class TopicCheck {
    ok,
    empty,             ///< zero bytes: never a valid topic or filter
    too_long,          ///< more than kMaxTopicBytes bytes
    bad_utf8,          ///< not well-formed UTF-8 (or a surrogate / overlong encoding)
    has_nul,           ///< U+0000 is forbidden anywhere
    wildcard_in_name,  ///< '+' or '#' in a topic name (a PUBLISH topic)
    misplaced_hash,    ///< '#' that is not a whole, last level ("a/#/b", "a#")
    misplaced_plus,    ///< '+' that is not a whole level ("a+", "+b/c")
};

/// A short English description of a check result, for error messages.
const char* describe(TopicCheck check) noexcept;

/// Checks a topic name as a publisher sends it: non-empty, UTF-8, no NUL, no wildcard.
TopicCheck validate_topic_name(std::string_view topic) noexcept;

/// Checks a subscription filter: like a name, but '+' and '#' are allowed where whole levels.
TopicCheck validate_topic_filter(std::string_view filter) noexcept;

/// True when the filter matches the topic name. False whenever either one is invalid.
bool topic_matches(std::string_view filter, std::string_view topic) noexcept;

}  // namespace netlab::mqtt
