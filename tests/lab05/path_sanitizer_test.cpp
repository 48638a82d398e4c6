// Lab 05, percent_decode and sanitize_path as pure functions: tables of inputs and what must become of
// them. No server, no file system: every traversal trick is one row.

#include <string>
#include <vector>

#include "05_libevent/http/path_sanitizer.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using libevent::PathVerdict;
using libevent::percent_decode;
using libevent::sanitize_path;

const char* name_of(PathVerdict verdict) {
    switch (verdict) {
        case PathVerdict::ok:
            return "ok";
        case PathVerdict::bad_request:
            return "bad_request";
        case PathVerdict::forbidden:
            return "forbidden";
    }
    return "?";
}

GRADED_TEST(Lab05PathSanitizer, PercentDecodeDecodesEachEscapeOnce, 3) {
    const std::vector<std::pair<std::string, std::string>> good = {
        {"", ""},
        {"plain", "plain"},
        {"%2e%2E%2f", "../"},
        {"a%20b", "a b"},
        {"%41%62c", "Abc"},
        {"caf%C3%A9", "caf\xC3\xA9"},
        {"%252e", "%2e"},  // once: %25 is '%', and the "2e" after it stays text
        {"a+b", "a+b"},
        {"%00x", std::string("\0x", 2)},
        {"100%25", "100%"},
    };
    for (const auto& [text, expected] : good) {
        SCOPED_TRACE("percent_decode(\"" + text + "\")");
        EXPECT_EQ(percent_decode(text), expected);
    }
    for (const std::string text : {"%", "%4", "ab%2", "%g0", "%4g", "%zz", "a%", "%%41"}) {
        SCOPED_TRACE("percent_decode(\"" + text + "\")");
        EXPECT_EQ(percent_decode(text), std::nullopt);
    }
}

GRADED_TEST(Lab05PathSanitizer, AcceptsPlainPathsAndNamesFolderIndexes, 3) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/", "index.html"},
        {"/index.html", "index.html"},
        {"/docs/notes.txt", "docs/notes.txt"},
        {"/docs/", "docs/index.html"},
        {"/docs/.", "docs/index.html"},
        {"//docs//notes.txt", "docs/notes.txt"},
        {"/./hello.txt", "hello.txt"},
        {"/a%20b.txt", "a b.txt"},
        {"/%41%62c", "Abc"},
        {"/caf%C3%A9.txt", "caf\xC3\xA9.txt"},
        {"/%252e%252e/secret", "%2e%2e/secret"},  // decoded once: a harmless name, not ".."
        {"/a+b", "a+b"},
        {"/x.../y", "x.../y"},
    };
    for (const auto& [raw, expected] : cases) {
        SCOPED_TRACE("sanitize_path(\"" + raw + "\")");
        const auto result = sanitize_path(raw);
        EXPECT_EQ(result.verdict, PathVerdict::ok) << "got " << name_of(result.verdict);
        EXPECT_TRUE(static_cast<bool>(result));
        EXPECT_EQ(result.relative, expected);
    }
}

GRADED_TEST(Lab05PathSanitizer, RejectsTraversalAndMalformedPaths, 5) {
    const std::vector<std::pair<std::string, PathVerdict>> cases = {
        {"/../etc/passwd", PathVerdict::forbidden},
        {"/..", PathVerdict::forbidden},
        {"/docs/../../etc/passwd", PathVerdict::forbidden},
        {"/docs/..", PathVerdict::forbidden},
        {"/%2e%2e/etc/passwd", PathVerdict::forbidden},
        {"/%2E%2E%2Fetc%2Fpasswd", PathVerdict::forbidden},
        {"/..%2f..%2fetc/passwd", PathVerdict::forbidden},
        {"/.%2e/secret", PathVerdict::forbidden},
        {"/.git/config", PathVerdict::forbidden},
        {"/docs/.env", PathVerdict::forbidden},
        {"/..\\secret", PathVerdict::forbidden},
        {"/docs%5c..%5csecret", PathVerdict::forbidden},
        {"", PathVerdict::bad_request},
        {"etc/passwd", PathVerdict::bad_request},
        {"../etc/passwd", PathVerdict::bad_request},
        {"/%", PathVerdict::bad_request},
        {"/%4", PathVerdict::bad_request},
        {"/%zz", PathVerdict::bad_request},
        {"/%4g", PathVerdict::bad_request},
        {"/a%00.txt", PathVerdict::bad_request},
        {"/a%0d%0aSet-Cookie:x", PathVerdict::bad_request},
        {"/a%7f", PathVerdict::bad_request},
        {"/" + std::string(1100, 'a'), PathVerdict::bad_request},
    };
    for (const auto& [raw, expected] : cases) {
        SCOPED_TRACE("sanitize_path(\"" + raw.substr(0, 60) + "\")");
        const auto result = sanitize_path(raw);
        EXPECT_EQ(result.verdict, expected)
            << "got " << name_of(result.verdict) << " with relative '" << result.relative << "'";
        EXPECT_FALSE(static_cast<bool>(result));
    }
}

}  // namespace
}  // namespace netlab::testing
