#include "log.hpp"

#include <iostream>
#include <mutex>
#include <string>

namespace netlab::log {
namespace {

struct State {
    std::mutex mutex;
    std::string program = "netlab";
    Sink sink;
};

State& state() {
    static State instance;
    return instance;
}

}  // namespace

void set_program(std::string name) {
    State& s = state();
    const std::lock_guard lock(s.mutex);
    s.program = std::move(name);
}

std::string program() {
    State& s = state();
    const std::lock_guard lock(s.mutex);
    return s.program;
}

Sink set_sink(Sink sink) {
    State& s = state();
    const std::lock_guard lock(s.mutex);
    std::swap(s.sink, sink);
    return sink;
}

void line(std::string_view text) {
    State& s = state();
    const std::lock_guard lock(s.mutex);
    std::string whole = s.program;
    whole += ": ";
    whole += text;
    if (s.sink) {
        s.sink(whole);
        return;
    }
    whole += '\n';
    std::cerr << whole << std::flush;
}

}  // namespace netlab::log
