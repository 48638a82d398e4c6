// This lab shows:
//  - validating untrusted text once, at the edge, before any byte goes to the broker;
//  - matching level by level with two cursors, no allocation, no regex, no recursion;
//  - the corner cases the specification spells out: "sport/#" matches "sport", "+" does not match
//    "/finance" (two levels, the first one empty), and "#" does not match "$SYS/broker/uptime".

#include "08_mqtt/topic.hpp"

#include <algorithm>
#include <cstdint>

namespace netlab::mqtt {
namespace {

/// Length of the well-formed UTF-8 sequence starting at text[i], or 0 if it is malformed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
        return 1;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2, code = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, code = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, code = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool overlong = code < kSmallest[length];
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    return overlong || surrogate || code > 0x10FFFF ? 0 : length;
}

/// The checks names and filters share: length, UTF-8, NUL.
TopicCheck check_text(std::string_view text) noexcept {
    if (text.empty()) {
        return TopicCheck::empty;
    }
    if (text.size() > kMaxTopicBytes) {
        return TopicCheck::too_long;
    }
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            return TopicCheck::has_nul;
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            return TopicCheck::bad_utf8;
        }
        i += length;
    }
    return TopicCheck::ok;
}

}  // namespace

const char* describe(TopicCheck check) noexcept {
    switch (check) {
        case TopicCheck::ok:
            return "valid";
        case TopicCheck::empty:
            return "empty topic";
        case TopicCheck::too_long:
            return "topic longer than 65535 bytes";
        case TopicCheck::bad_utf8:
            return "topic is not valid UTF-8";
        case TopicCheck::has_nul:
            return "topic contains a NUL character";
        case TopicCheck::wildcard_in_name:
            return "wildcards '+' and '#' are not allowed in a topic name to publish to";
        case TopicCheck::misplaced_hash:
            return "'#' must be the whole last level of a filter";
        case TopicCheck::misplaced_plus:
            return "'+' must be a whole level of a filter";
    }
    return "unknown topic problem";
}

TopicCheck validate_topic_name(std::string_view topic) noexcept {
    // BEGIN SOLUTION validate_topic_name
    if (const TopicCheck text = check_text(topic); text != TopicCheck::ok) {
        return text;
    }
    return topic.find_first_of("+#") == std::string_view::npos ? TopicCheck::ok
                                                               : TopicCheck::wildcard_in_name;
    // END SOLUTION
}

TopicCheck validate_topic_filter(std::string_view filter) noexcept {
    // BEGIN SOLUTION validate_topic_filter
    if (const TopicCheck text = check_text(filter); text != TopicCheck::ok) {
        return text;
    }
    for (std::size_t i = 0; i < filter.size(); ++i) {
        const bool level_starts = i == 0 || filter[i - 1] == '/';
        const bool level_ends = i + 1 == filter.size() || filter[i + 1] == '/';
        if (filter[i] == '#' && !(level_starts && i + 1 == filter.size())) {
            return TopicCheck::misplaced_hash;
        }
        if (filter[i] == '+' && !(level_starts && level_ends)) {
            return TopicCheck::misplaced_plus;
        }
    }
    return TopicCheck::ok;
    // END SOLUTION
}

bool topic_matches(std::string_view filter, std::string_view topic) noexcept {
    // BEGIN SOLUTION topic_matches
    if (validate_topic_filter(filter) != TopicCheck::ok || validate_topic_name(topic) != TopicCheck::ok) {
        return false;
    }
    if (topic.front() == '$' && (filter.front() == '+' || filter.front() == '#')) {
        return false;  // 4.7.2: $-topics are not matched by a leading wildcard
    }
    std::size_t f = 0;  // start of the current filter level
    std::size_t t = 0;  // start of the current topic level
    for (;;) {
        const std::size_t f_end = std::min(filter.find('/', f), filter.size());
        const std::string_view level = filter.substr(f, f_end - f);
        if (level == "#") {
            return true;  // matches this level, everything below it, and the parent itself
        }
        const std::size_t t_end = std::min(topic.find('/', t), topic.size());
        if (level != "+" && level != topic.substr(t, t_end - t)) {
            return false;
        }
        const bool filter_done = f_end == filter.size();
        const bool topic_done = t_end == topic.size();
        if (filter_done || topic_done) {
            if (filter_done && topic_done) {
                return true;
            }
            if (topic_done && filter.substr(f_end) == "/#") {
                return true;  // "sport/#" matches "sport"
            }
            return false;
        }
        f = f_end + 1;
        t = t_end + 1;
    }
    // END SOLUTION
}

}  // namespace netlab::mqtt
