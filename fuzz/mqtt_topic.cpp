// This file shows:
//  - fuzzing the topic rules against properties the specification guarantees, not against a copy
//    of the code: a match implies both sides are valid; a valid name is a valid filter that matches
//    itself; "#" and the all-'+' filter of the same depth match every valid name not starting with '$';
//  - inputs that are arbitrary bytes (not just UTF-8), so validation is exercised on garbage too.
//
// Input: byte 0 splits the rest into filter and topic.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "08_mqtt/topic.hpp"

namespace {

using netlab::mqtt::topic_matches;
using netlab::mqtt::TopicCheck;
using netlab::mqtt::validate_topic_filter;
using netlab::mqtt::validate_topic_name;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t split = rest.empty() ? 0 : data[0] % (rest.size() + 1);
    const std::string_view filter = rest.substr(0, split);
    const std::string_view topic = rest.substr(split);

    const bool filter_ok = validate_topic_filter(filter) == TopicCheck::ok;
    const bool name_ok = validate_topic_name(topic) == TopicCheck::ok;
    if (topic_matches(filter, topic)) {
        require(filter_ok && name_ok);
    }
    if (!name_ok) {
        return 0;
    }
    require(validate_topic_filter(topic) == TopicCheck::ok);
    require(topic_matches(topic, topic));
    const bool dollar = topic.front() == '$';
    require(topic_matches("#", topic) == !dollar);
    std::string pluses = "+";
    for (const char c : topic) {
        if (c == '/') {
            pluses += "/+";
        }
    }
    require(topic_matches(pluses, topic) == !dollar);
    require(!topic_matches(pluses + "/+", topic));
    require(topic_matches(std::string(topic) + "/#", topic));
    return 0;
}
