// This file shows:
//  - choosing a free port by binding port 0 and reading it back, then handing it to a program that
//    cannot bind port 0 itself (mosquitto 2.0 needs an explicit port), and retrying if someone
//    else took it in between;
//  - fork + exec with only async-signal-safe calls in the child (paho's threads may hold locks);
//  - "ready" meaning "THIS child listens on the port", polled against a deadline, not a fixed sleep:
//    a connect that succeeds proves only that someone listens (another program holding the port
//    would pass), so we find the listening socket's inode in /proc/net/tcp and look for it among
//    the child's descriptors in /proc/PID/fd.

#include "broker/embedded_broker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/check.hpp"
#include "common/unique_fd.hpp"

namespace netlab::broker {
namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

/// A port that was free a moment ago (bind port 0, read it back, close).
std::uint16_t free_port() {
    UniqueFd fd(check_syscall("socket", ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)));
    sockaddr_in address = loopback(0);
    check_syscall("bind", ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address));
    socklen_t length = sizeof address;
    check_syscall("getsockname", ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length));
    return ntohs(address.sin_port);
}

/// "socket:[INODE]" for each socket in state LISTEN on 127.0.0.1:port, from /proc/net/tcp.
std::vector<std::string> listening_sockets(std::uint16_t port) {
    std::vector<std::string> found;
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // the column names
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
            inode;
        const auto colon = local.find(':');
        if (!fields || colon == std::string::npos || state != "0A") {  // 0A: TCP_LISTEN
            continue;
        }
        // The kernel prints the address as the in-memory (network order) 32-bit value, in hex.
        const auto address = static_cast<std::uint32_t>(std::stoul(local.substr(0, colon), nullptr, 16));
        const auto local_port = std::stoul(local.substr(colon + 1), nullptr, 16);
        if (address == htonl(INADDR_LOOPBACK) && local_port == port) {
            found.push_back("socket:[" + inode + "]");
        }
    }
    return found;
}

/// True when process pid has one of sockets ("socket:[INODE]") among its file descriptors.
bool holds_any(pid_t pid, const std::vector<std::string>& sockets) {
    std::error_code ignored;
    for (const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ignored)) {
        const auto target = std::filesystem::read_symlink(entry.path(), ignored).string();
        if (std::find(sockets.begin(), sockets.end(), target) != sockets.end()) {
            return true;
        }
    }
    return false;
}

}  // namespace

EmbeddedBroker::EmbeddedBroker(BrokerSettings settings) : settings_(std::move(settings)) {
    if (const char* override_path = std::getenv("NETLAB_MOSQUITTO")) {
        settings_.mosquitto = override_path;
    }
    if (::access(settings_.mosquitto.c_str(), X_OK) != 0) {
        throw std::runtime_error("embedded broker: " + settings_.mosquitto +
                                 " is missing (apt-get install mosquitto, or set MQTT_BROKER)");
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "netlab-mosquitto-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw_errno("mkdtemp");
    }
    dir_ = pattern;
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = settings_.port != 0 ? settings_.port : free_port();
        write_config();
        if (try_start(settings_.start_timeout)) {
            return;
        }
        if (settings_.port != 0) {
            break;
        }
    }
    const std::string why = log();
    std::filesystem::remove_all(dir_);
    if (settings_.port != 0 && why.find("Address already in use") != std::string::npos) {
        throw std::runtime_error("embedded broker: 127.0.0.1:" + std::to_string(port_) +
                                 " is already in use by another program; mosquitto's log:\n" + why);
    }
    throw std::runtime_error("embedded broker: mosquitto did not start; its log:\n" + why);
}

EmbeddedBroker::~EmbeddedBroker() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void EmbeddedBroker::write_config() const {
    std::ofstream config(dir_ + "/mosquitto.conf", std::ios::trunc);
    config << "# written by netlab's EmbeddedBroker\n"
           << "listener " << port_ << " 127.0.0.1\n"
           << "allow_anonymous true\n"
           << "max_queued_messages 0\n"  // 0 = no limit: nothing is dropped for a slow subscriber
           << "set_tcp_nodelay true\n"   // no Nagle: PUBACKs must not wait for the client's delayed ACK
           << "log_dest file " << dir_ << "/mosquitto.log\n"
           << "log_type error\nlog_type warning\nlog_type notice\n"
           << "persistence " << (settings_.persistence ? "true" : "false") << "\n"
           << "persistence_location " << dir_ << "/\n";
    if (::geteuid() == 0) {
        config << "user root\n";  // as root mosquitto would switch to user "mosquitto", who cannot write dir_
    }
    if (!config) {
        throw std::runtime_error("embedded broker: cannot write " + dir_ + "/mosquitto.conf");
    }
}

bool EmbeddedBroker::try_start(std::chrono::milliseconds timeout) {
    const std::string config = dir_ + "/mosquitto.conf";
    const std::string output = dir_ + "/stdout.log";
    const pid_t parent = ::getpid();
    pid_ = check_syscall("fork", ::fork());
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);  // ShutdownSignal's mask would survive exec
        const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        ::execl(settings_.mosquitto.c_str(), "mosquitto", "-c", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) {
            return false;  // exited: most likely the port was taken meanwhile
        }
        if (holds_any(pid_, listening_sockets(port_))) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // poll interval; bounded by deadline
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return false;
}

bool EmbeddedBroker::running() {
    if (pid_ <= 0) {
        return false;
    }
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void EmbeddedBroker::stop(int signal_number) {
    if (pid_ <= 0) {
        return;
    }
    ::kill(pid_, signal_number);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // poll interval for the exit
    }
}

void EmbeddedBroker::start() {
    if (running()) {
        return;
    }
    if (!try_start(settings_.start_timeout)) {
        throw std::runtime_error("embedded broker: mosquitto did not restart on port " +
                                 std::to_string(port_) + "; its log:\n" + log());
    }
}

std::string EmbeddedBroker::url() const {
    return "tcp://127.0.0.1:" + std::to_string(port_);
}

std::string EmbeddedBroker::log() const {
    std::ostringstream text;
    for (const char* name : {"/stdout.log", "/mosquitto.log"}) {
        std::ifstream file(dir_ + name);
        if (file) {
            text << file.rdbuf();
        }
    }
    return text.str();
}

}  // namespace netlab::broker
