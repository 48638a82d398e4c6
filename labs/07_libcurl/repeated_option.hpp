#pragma once
// This file shows:
//  - an option given more than once (curl's -H): netlab::CommandLine keeps the last value of an
//    option, so the programs collect every occurrence with this helper as well.

#include <string>
#include <string_view>
#include <vector>

namespace netlab::curl {

/// Every value of the option named short_name or long_name ("-H v", "--header v", "--header=v"),
/// in order, up to a "--". Assumes CommandLine::parse already accepted argv.
std::vector<std::string> repeated_values(int argc, char** argv, std::string_view short_name,
                                         std::string_view long_name);

}  // namespace netlab::curl
