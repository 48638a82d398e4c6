#include "07_libcurl/response.hpp"

#include <algorithm>
#include <cctype>

namespace netlab::curl {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const Header& field : headers) {
        if (same_name(field.name, name)) {
            return field.value;
        }
    }
    return std::nullopt;
}

}  // namespace netlab::curl
