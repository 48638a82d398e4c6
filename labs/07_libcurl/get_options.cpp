#include "07_libcurl/get_options.hpp"

#include <charconv>
#include <cstdio>

namespace netlab::curl {

std::chrono::milliseconds seconds_option(const CommandLine& args, const std::string& name) {
    const std::string text = args.get(name).value_or("");
    double seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !(seconds >= 0.001) ||
        seconds > 86400) {
        throw UsageError(name + ": '" + text + "' is not a number of seconds from 0.001 to 86400");
    }
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
}

std::optional<Method> method_named(const std::string& name) {
    if (name == "GET")
        return Method::get;
    if (name == "HEAD")
        return Method::head;
    if (name == "POST")
        return Method::post;
    if (name == "PUT")
        return Method::put;
    if (name == "DELETE")
        return Method::delete_;
    return std::nullopt;
}

Request request_options(const CommandLine& args) {
    Request request;
    request.headers = args.all("--header");
    request.timeout = seconds_option(args, args.has("--timeout") ? "--timeout" : "--max-time");
    request.connect_timeout = seconds_option(args, "--connect-timeout");
    request.follow_redirects = args.has("--location");
    request.ca_file = args.get("--cacert").value_or("");
    if (args.has("--data")) {
        request.method = Method::post;
        request.body = args.get("--data");
    }
    if (args.has("--request")) {
        const auto method = method_named(*args.get("--request"));
        if (!method) {
            throw UsageError("--request: '" + *args.get("--request") +
                             "' is not GET, HEAD, POST, PUT or DELETE");
        }
        request.method = *method;
    }
    return request;
}

std::string describe_timing(const Response& r) {
    const auto ms = [](std::chrono::microseconds t) { return static_cast<double>(t.count()) / 1000.0; };
    char text[512];
    std::snprintf(
        text, sizeof text,
        "%s: status %ld, %llu body bytes, new connections: %ld\n"
        "  ms from start: dns %.3f  connect %.3f  tls %.3f  request sent %.3f  first byte %.3f  total %.3f\n",
        r.effective_url.c_str(), r.status, static_cast<unsigned long long>(r.body_bytes), r.new_connections,
        ms(r.timings.name_lookup), ms(r.timings.connect), ms(r.timings.tls_handshake),
        ms(r.timings.pretransfer), ms(r.timings.first_byte), ms(r.timings.total));
    return text;
}

}  // namespace netlab::curl
