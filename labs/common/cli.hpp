#pragma once
// This file shows:
//  - the command-line contract every lab program keeps: --help prints usage and
//    exits 0; a bad argument prints the error and usage to stderr and exits 2;
//  - a main that never returns 0 after a failure ("error: <what>", exit 1).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "endpoint.hpp"

namespace netlab {

/// A command line that does not follow the program's usage; run_main turns it into exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A strict, declarative parser for "--name VALUE", "--name=VALUE", flags and positionals.
class CommandLine {
public:
    /// program is argv[0]'s display name; summary is the one-line description for --help.
    CommandLine(std::string program, std::string summary);

    /// Declares an option taking a value. names is "--long" or "-s,--long".
    CommandLine& option(const std::string& names, std::string metavar, std::string help,
                        std::optional<std::string> default_value = std::nullopt);
    /// Declares an option that may be given many times, keeping every value ("-H a -H b").
    CommandLine& repeatable(const std::string& names, std::string metavar, std::string help);
    /// Declares a flag without a value.
    CommandLine& flag(const std::string& names, std::string help);
    /// Sets the words that ask for help: "-h,--help" (the default) or "--help" when -h means something else.
    CommandLine& help_names(const std::string& names);
    /// Declares positional arguments: between min_count and max_count of them.
    CommandLine& positionals(std::string metavar, std::string help, std::size_t min_count,
                             std::size_t max_count);

    /// Parses argv; throws UsageError on anything unexpected. Returns false if --help was asked.
    bool parse(int argc, char** argv);

    /// The option's (last) value or its default; nullopt when neither exists.
    [[nodiscard]] std::optional<std::string> get(const std::string& long_name) const;
    /// Every value of a repeatable option, in the order given (empty when absent).
    [[nodiscard]] std::vector<std::string> all(const std::string& long_name) const;
    /// True when the flag (or option) was given.
    [[nodiscard]] bool has(const std::string& long_name) const;
    /// The positional arguments, in order.
    [[nodiscard]] const std::vector<std::string>& args() const { return args_; }

    /// The option as HOST:PORT; throws UsageError naming the option when it is malformed.
    [[nodiscard]] HostPort endpoint(const std::string& long_name) const;
    /// The option as an unsigned integer in [min, max]; throws UsageError otherwise.
    [[nodiscard]] std::uint64_t number(const std::string& long_name, std::uint64_t min,
                                       std::uint64_t max) const;

    /// The full usage text (what --help prints).
    [[nodiscard]] std::string usage() const;

private:
    struct Spec {
        std::string short_name;
        std::string long_name;
        std::string metavar;  // empty for a flag
        std::string help;
        std::optional<std::string> default_value;
        bool repeatable = false;
    };
    const Spec* find(const std::string& name) const;

    std::string program_;
    std::string summary_;
    std::vector<Spec> specs_;
    std::string positional_metavar_;
    std::string positional_help_;
    std::size_t positional_min_ = 0;
    std::size_t positional_max_ = 0;
    std::string help_short_ = "-h";
    std::string help_long_ = "--help";
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> args_;
};

/// Parses the command line, then runs body. Handles --help (exit 0), UsageError (exit 2)
/// and any other exception ("error: <what>" on stderr, exit 1). Returns body's result otherwise.
int run_main(CommandLine& cli, int argc, char** argv, const std::function<int(const CommandLine&)>& body);

}  // namespace netlab
