#include "listening.hpp"

#include <iostream>

#include "endpoint.hpp"

namespace netlab {

void announce_listening(int fd) {
    std::cout << "listening on " << local_endpoint(fd) << std::endl;
}

}  // namespace netlab
