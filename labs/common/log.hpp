#pragma once
// This file shows:
//  - one log facility for every program: main names the program once, every line then reads
//    "program: text", whole, from any thread;
//  - a sink that tests can replace, so library code never writes to std::cerr itself and a test
//    can watch what a server reports without scraping a child's stderr.

#include <functional>
#include <string>
#include <string_view>

namespace netlab::log {

/// Receives each finished line ("program: text", no newline). Called under the log's lock.
using Sink = std::function<void(std::string_view line)>;

/// Sets the name every line starts with; main calls it once, before any thread starts.
void set_program(std::string name);
/// The name set_program gave ("netlab" until then).
[[nodiscard]] std::string program();

/// Replaces where lines go and returns the previous sink; an empty sink restores stderr.
Sink set_sink(Sink sink);

/// Writes "program: text" as one line; safe from any thread.
void line(std::string_view text);

/// Sends lines to a sink for its lifetime, then restores the previous one (tests use it).
class ScopedSink {
public:
    /// Installs sink until this object is destroyed.
    explicit ScopedSink(Sink sink) : previous_(set_sink(std::move(sink))) {}
    ~ScopedSink() { set_sink(std::move(previous_)); }
    ScopedSink(const ScopedSink&) = delete;
    ScopedSink& operator=(const ScopedSink&) = delete;

private:
    Sink previous_;
};

}  // namespace netlab::log
