#include "cli.hpp"

#include <charconv>
#include <iostream>
#include <sstream>

namespace netlab {

CommandLine::CommandLine(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

CommandLine& CommandLine::option(const std::string& names, std::string metavar, std::string help,
                                 std::optional<std::string> default_value) {
    Spec spec;
    const auto comma = names.find(',');
    spec.short_name = comma == std::string::npos ? "" : names.substr(0, comma);
    spec.long_name = comma == std::string::npos ? names : names.substr(comma + 1);
    spec.metavar = std::move(metavar);
    spec.help = std::move(help);
    spec.default_value = std::move(default_value);
    specs_.push_back(std::move(spec));
    return *this;
}

CommandLine& CommandLine::repeatable(const std::string& names, std::string metavar, std::string help) {
    option(names, std::move(metavar), std::move(help));
    specs_.back().repeatable = true;
    return *this;
}

CommandLine& CommandLine::help_names(const std::string& names) {
    const auto comma = names.find(',');
    help_short_ = comma == std::string::npos ? "" : names.substr(0, comma);
    help_long_ = comma == std::string::npos ? names : names.substr(comma + 1);
    return *this;
}

CommandLine& CommandLine::flag(const std::string& names, std::string help) {
    return option(names, "", std::move(help));
}

CommandLine& CommandLine::positionals(std::string metavar, std::string help, std::size_t min_count,
                                      std::size_t max_count) {
    positional_metavar_ = std::move(metavar);
    positional_help_ = std::move(help);
    positional_min_ = min_count;
    positional_max_ = max_count;
    return *this;
}

const CommandLine::Spec* CommandLine::find(const std::string& name) const {
    for (const auto& spec : specs_) {
        if (name == spec.long_name || (!spec.short_name.empty() && name == spec.short_name)) {
            return &spec;
        }
    }
    return nullptr;
}

bool CommandLine::parse(int argc, char** argv) {
    bool only_positionals = false;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (only_positionals || word == "-" || !word.starts_with('-')) {
            args_.push_back(word);
            continue;
        }
        if (word == "--") {
            only_positionals = true;
            continue;
        }
        if (word == help_long_ || (!help_short_.empty() && word == help_short_)) {
            return false;
        }
        const auto equals = word.find('=');
        const std::string name = word.substr(0, equals);
        const Spec* spec = find(name);
        if (spec == nullptr) {
            throw UsageError("unknown option " + name);
        }
        std::string value;
        if (spec->metavar.empty()) {
            if (equals != std::string::npos) {
                throw UsageError(name + " takes no value");
            }
        } else if (equals != std::string::npos) {
            value = word.substr(equals + 1);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            throw UsageError(name + " needs a value (" + spec->metavar + ")");
        }
        auto& given = values_[spec->long_name];
        if (!spec->repeatable) {
            given.clear();
        }
        given.push_back(std::move(value));
    }
    if (args_.size() < positional_min_ || args_.size() > positional_max_) {
        if (positional_max_ == 0) {
            throw UsageError("unexpected argument " + args_.front());
        }
        throw UsageError("expected " + std::to_string(positional_min_) +
                         (positional_max_ > positional_min_ ? " to " + std::to_string(positional_max_) : "") +
                         " " + positional_metavar_ + " argument(s), got " + std::to_string(args_.size()));
    }
    return true;
}

std::optional<std::string> CommandLine::get(const std::string& long_name) const {
    if (auto it = values_.find(long_name); it != values_.end()) {
        return it->second.back();
    }
    if (const Spec* spec = find(long_name)) {
        return spec->default_value;
    }
    return std::nullopt;
}

std::vector<std::string> CommandLine::all(const std::string& long_name) const {
    if (auto it = values_.find(long_name); it != values_.end()) {
        return it->second;
    }
    return {};
}

bool CommandLine::has(const std::string& long_name) const {
    return values_.contains(long_name);
}

HostPort CommandLine::endpoint(const std::string& long_name) const {
    const auto text = get(long_name);
    if (!text) {
        throw UsageError(long_name + " is required (HOST:PORT)");
    }
    auto parsed = parse_host_port(*text);
    if (!parsed) {
        throw UsageError(long_name + ": '" + *text +
                         "' is not HOST:PORT with a port 0-65535 ([::1]:PORT for IPv6)");
    }
    return *parsed;
}

std::uint64_t CommandLine::number(const std::string& long_name, std::uint64_t min, std::uint64_t max) const {
    const auto text = get(long_name).value_or("");
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value < min || value > max) {
        throw UsageError(long_name + ": '" + text + "' is not a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max));
    }
    return value;
}

std::string CommandLine::usage() const {
    std::ostringstream out;
    out << "usage: " << program_ << " [options]";
    if (positional_max_ > 0) {
        out << (positional_min_ == 0 ? " [" + positional_metavar_ + "]" : " " + positional_metavar_);
        if (positional_max_ > 1) {
            out << "...";
        }
    }
    out << "\n\n" << summary_ << "\n\noptions:\n";
    for (const auto& spec : specs_) {
        std::string names =
            spec.short_name.empty() ? spec.long_name : spec.short_name + ", " + spec.long_name;
        if (!spec.metavar.empty()) {
            names += " " + spec.metavar;
        }
        if (spec.repeatable) {
            names += "...";
        }
        out << "  " << names;
        out << std::string(names.size() < 26 ? 26 - names.size() : 1, ' ') << spec.help;
        if (spec.default_value && !spec.default_value->empty()) {
            out << " (default " << *spec.default_value << ")";
        }
        out << "\n";
    }
    const std::string help = help_short_.empty() ? help_long_ : help_short_ + ", " + help_long_;
    out << "  " << help << std::string(help.size() < 26 ? 26 - help.size() : 1, ' ')
        << "show this help and exit\n";
    if (positional_max_ > 0) {
        out << "\narguments:\n  " << positional_metavar_
            << std::string(positional_metavar_.size() < 26 ? 26 - positional_metavar_.size() : 1, ' ')
            << positional_help_ << "\n";
    }
    return out.str();
}

int run_main(CommandLine& cli, int argc, char** argv, const std::function<int(const CommandLine&)>& body) {
    try {
        if (!cli.parse(argc, argv)) {
            std::cout << cli.usage() << std::flush;
            return 0;
        }
        return body(cli);
    } catch (const UsageError& e) {
        std::cerr << "error: " << e.what() << "\n\n" << cli.usage() << std::flush;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << std::endl;
        return 1;
    }
}

}  // namespace netlab
