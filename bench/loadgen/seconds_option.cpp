#include "seconds_option.hpp"

#include <charconv>

namespace netlab::bench {

std::chrono::nanoseconds seconds_option(const CommandLine& args, const std::string& name, double min,
                                        double max) {
    const std::string text = args.get(name).value_or("");
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !(value >= min) ||
        !(value <= max)) {
        throw UsageError(name + ": '" + text + "' is not a number of seconds from " + std::to_string(min) +
                         " to " + std::to_string(max));
    }
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(value));
}

}  // namespace netlab::bench
