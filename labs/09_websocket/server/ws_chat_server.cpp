// This lab shows:
//  - a chat server for browsers: GET / returns the page (www/chat.html, plain HTML and JS), whose
//    script opens a WebSocket back to the same server; every line typed in one browser appears
//    in all the others at once, pushed by the server;
//  - loading the page once at start-up, so a missing file is a clear error before "listening on".
// Try it: ws_chat_server --listen 127.0.0.1:9010, then open http://127.0.0.1:9010/ in two tabs.

#include <signal.h>

#include <fstream>
#include <sstream>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/signal_event.hpp"
#include "09_websocket/server/chat_room.hpp"
#include "09_websocket/server/server_options.hpp"
#include "09_websocket/server/ws_server.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"

namespace {

std::string read_page(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw netlab::UsageError("--page: cannot read " + path);
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

int main(int argc, char** argv) {
    netlab::log::set_program("ws_chat_server");
    netlab::CommandLine cli(
        "ws_chat_server",
        "Serves a small chat page over HTTP and relays its WebSocket messages: each text message is\n"
        "broadcast to every connected browser as \"[#ID] text\". Open http://HOST:PORT/ in two tabs.\n"
        "SIGINT or SIGTERM closes every connection and exits 0.");
    netlab::websocket::declare_server_options(cli, "127.0.0.1:9010");
    cli.option("--page", "FILE", "the HTML page served at /", NETLAB_LAB09_PAGE);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace le = netlab::libevent;
        namespace ws = netlab::websocket;
        const netlab::HostPort where = args.endpoint("--listen");
        ws::ServerOptions options = ws::read_server_options(args);
        ws::ChatRoom room(read_page(args.get("--page").value_or("")));
        ::signal(SIGPIPE, SIG_IGN);

        le::EventBase base;
        ws::WsServer server(base, where, options, room);
        room.attach(server);
        const le::StopOnSignals stop_on_signals(base);
        netlab::announce_listening(server.listener_fd());
        base.dispatch();
        return 0;
    });
}
