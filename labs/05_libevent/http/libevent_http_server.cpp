// This lab shows:
//  - an evhttp server in one loop, stopped cleanly by SIGINT/SIGTERM through the loop;
//  - a small teaching server on port 9080 by default: static files from --root, POST /echo and
//    GET /status/NNN;
//  - --debug (or a build with -DNETLAB_LIBEVENT_DEBUG=ON): libevent's own trace on stderr.

#include <fcntl.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "05_libevent/event/debug_log.hpp"
#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/signal_event.hpp"
#include "05_libevent/http/http_server.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"

#ifndef NETLAB_LAB05_WWW
#define NETLAB_LAB05_WWW "www"
#endif

int main(int argc, char** argv) {
    netlab::log::set_program("libevent_http_server");
    netlab::CommandLine cli(
        "libevent_http_server",
        "Serves the files below --root over HTTP/1.1 (GET, HEAD), plus POST /echo (the body back)\n"
        "and GET /status/NNN (a reply with that status).\n"
        "SIGINT or SIGTERM closes every connection and exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9080")
        .option("--root", "DIR", "folder of static files", NETLAB_LAB05_WWW)
        .flag("--debug", "libevent debug mode and its trace lines on stderr");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace le = netlab::libevent;
        const netlab::HostPort where = args.endpoint("--listen");
        const std::string root_path = args.get("--root").value_or(NETLAB_LAB05_WWW);
        netlab::UniqueFd root(::open(root_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!root) {
            throw netlab::UsageError("--root: cannot open folder '" + root_path +
                                     "': " + std::strerror(errno));
        }
        const bool debug = args.has("--debug") || le::debug_by_default();
        if (debug) {
            le::enable_debug_mode();  // before any event_base exists
        }
        le::route_libevent_log(debug);
        ::signal(SIGPIPE, SIG_IGN);  // libevent writes with writev(): a reset peer must not kill us

        le::EventBase base;
        le::HttpServer server(base, where, std::move(root));
        const le::StopOnSignals stop_on_signals(base);
        netlab::announce_listening(server.listener_fd());
        base.dispatch();
        return 0;
    });
}
