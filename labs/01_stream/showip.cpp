// This lab shows:
//  - Beej's showip: ask the resolver for a name and print every IPv4 and IPv6 address;
//  - that one name can have several addresses, of both families (or only one of them);
//  - a failed lookup is an error for that name only; the exit status says whether all resolved.

#include <sys/socket.h>

#include <iostream>
#include <system_error>

#include "01_stream/host_addresses.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("showip");
    netlab::CommandLine cli("showip", "Prints the IPv4 and IPv6 addresses of each HOST (getaddrinfo).");
    cli.positionals("HOST", "a host name or an address literal, e.g. localhost or ::1", 1, 64);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        int status = 0;
        for (std::size_t i = 0; i < args.args().size(); ++i) {
            const std::string& host = args.args()[i];
            try {
                const auto addresses = netlab::stream::host_addresses(host);
                std::cout << (i > 0 ? "\n" : "") << "IP addresses for " << host << ":\n\n";
                for (const auto& address : addresses) {
                    std::cout << "  " << (address.family == AF_INET6 ? "IPv6: " : "IPv4: ") << address.text
                              << "\n";
                }
            } catch (const std::system_error& error) {
                std::cerr << "error: " << error.what() << std::endl;
                status = 1;
            }
        }
        std::cout << std::flush;
        return status;
    });
}
