#pragma once
// This file shows:
//  - the small pieces http_get's command line needs beyond netlab::CommandLine: seconds as a
//    decimal (curl's -m 0.5), a method by name, the Request its options describe, and the
//    --timing report of one Response.

#include <chrono>
#include <optional>
#include <string>

#include "07_libcurl/request.hpp"
#include "07_libcurl/response.hpp"
#include "common/cli.hpp"

namespace netlab::curl {

/// The option's value as seconds ("2.5" -> 2500 ms, 0.001 to 86400); UsageError naming it otherwise.
std::chrono::milliseconds seconds_option(const CommandLine& args, const std::string& name);

/// GET, HEAD, POST, PUT or DELETE (upper case, as curl -X takes them); nullopt for anything else.
std::optional<Method> method_named(const std::string& name);

/// The Request (without its URL) of http_get's -H, -d, -X, -m/--timeout, --connect-timeout, -L and
/// --cacert; its headers are every -H (a repeatable option), in order. Throws UsageError for a bad value.
Request request_options(const CommandLine& args);

/// Two lines for --timing: the URL, status, body bytes and new connections, then curl's timings in ms.
std::string describe_timing(const Response& response);

}  // namespace netlab::curl
