#include "server_process.hpp"

#include <chrono>
#include <stdexcept>
#include <system_error>

#include "test_socket.hpp"

namespace netlab::testing {

std::vector<std::string> listen_args(std::vector<std::string> extra, const std::string& host) {
    const bool v6 = host.find(':') != std::string::npos;
    std::vector<std::string> args{"--listen", (v6 ? "[" + host + "]" : host) + ":0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

ServerProcess::ServerProcess(const std::string& program, const std::vector<std::string>& args)
    : process(program, args), endpoint(process.wait_listening()) {}

UniqueFd ServerProcess::connect() {
    try {
        return connect_to(endpoint.host, endpoint.port);
    } catch (const std::system_error& error) {
        // "Connection refused" alone hides the cause: usually the server died, and said why.
        const auto status = process.wait_exit(std::chrono::milliseconds(500));
        throw std::runtime_error(
            std::string(error.what()) + " (the server " +
            (status ? "had exited: " + describe_exit(status) : std::string("is still running")) +
            ")\nserver stderr:\n" + process.stderr_text());
    }
}

}  // namespace netlab::testing
