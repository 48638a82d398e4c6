#include "server_process.hpp"

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

UniqueFd ServerProcess::connect() const {
    return connect_to(endpoint.host, endpoint.port);
}

}  // namespace netlab::testing
