#include "07_libcurl/repeated_option.hpp"

namespace netlab::curl {

std::vector<std::string> repeated_values(int argc, char** argv, std::string_view short_name,
                                         std::string_view long_name) {
    std::vector<std::string> values;
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--") {
            break;
        }
        if ((word == short_name || word == long_name) && i + 1 < argc) {
            values.emplace_back(argv[++i]);
        } else if (word.starts_with(long_name) && word.size() > long_name.size() &&
                   word[long_name.size()] == '=') {
            values.emplace_back(word.substr(long_name.size() + 1));
        }
    }
    return values;
}

}  // namespace netlab::curl
