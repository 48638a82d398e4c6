#include "addrinfo.hpp"

#include <cerrno>

namespace netlab {
namespace {

class GaiCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "getaddrinfo"; }
    std::string message(int code) const override { return ::gai_strerror(code); }
};

}  // namespace

const std::error_category& gai_category() noexcept {
    static const GaiCategory category;
    return category;
}

AddrInfoList resolve(const std::string& host, std::uint16_t port, int socktype, Passive passive) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socktype;
    hints.ai_flags = AI_NUMERICSERV | (passive == Passive::yes ? AI_PASSIVE : 0);
    const std::string service = std::to_string(port);
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list);
    if (rc == EAI_SYSTEM) {
        throw std::system_error(errno, std::system_category(), "getaddrinfo " + host);
    }
    if (rc != 0) {
        throw std::system_error(rc, gai_category(), "getaddrinfo " + host);
    }
    return AddrInfoList(list);
}

}  // namespace netlab
