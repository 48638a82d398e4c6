// netlab_consumer: links the installed netlab package (find_package(netlab CONFIG)) and checks
// each library on loopback. This file shows:
//  - that a program outside the course tree includes the headers by the labs' own paths
//    ("03_encapsulation/core/tcp_stream.hpp", ...) and links netlab::core, netlab::libevent,
//    netlab::curl and netlab::mqtt with nothing more than find_package;
//  - exit status 0 only when every check passed; each failure is named on stderr.

#include <exception>
#include <functional>
#include <iostream>
#include <iterator>
#include <string_view>

#include "loopback_checks.hpp"

namespace {

struct Check {
    std::string_view name;
    std::function<void()> run;
};

}  // namespace

int main() {
    const Check checks[] = {
        {"netlab::core framed echo", netlab::consumer::check_core_frame_echo},
        {"netlab::libevent timer", netlab::consumer::check_libevent_timer},
        {"netlab::curl GET", netlab::consumer::check_curl_get},
        {"netlab::mqtt topic rules", netlab::consumer::check_mqtt_topics},
    };
    int failed = 0;
    for (const Check& check : checks) {
        try {
            check.run();
            std::cout << "ok      " << check.name << '\n';
        } catch (const std::exception& error) {
            std::cerr << "FAILED  " << check.name << ": " << error.what() << '\n';
            ++failed;
        }
    }
    if (failed != 0) {
        std::cerr << "netlab_consumer: " << failed << " of " << std::size(checks) << " checks failed\n";
        return 1;
    }
    std::cout << "netlab_consumer: every check passed\n";
    return 0;
}
