// Lab 09, the end-to-end check: ws_chat_server's page in a real browser. browser_check.py drives
// headless Chromium through chromedriver (W3C WebDriver over HTTP, Python's standard library
// only): two tabs load the page, a line typed in one appears in the other. If the browser cannot
// start, the script exits 1 and this test FAILS (it never skips). The script runs in its own
// process group with a deadline; whatever it leaves behind (chromedriver, Chromium) is killed.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

extern char** environ;

namespace netlab::testing::lab09 {
namespace {

struct ScriptOutcome {
    std::optional<int> status;  // nullopt: killed at the deadline
    std::string output;
};

/// Runs argv in a new process group, output to a temporary file, killed (whole group) at the deadline.
ScriptOutcome run_script(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
    char path[] = "/tmp/netlab-browser-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0)
        throw std::runtime_error("mkstemp failed");
    ::close(fd);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<char*> words;
    for (auto& word : argv)
        words.push_back(word.data());
    words.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, words.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0)
        throw std::runtime_error("posix_spawn " + argv[0] + " failed");

    ScriptOutcome outcome;
    int status = 0;
    const bool exited = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
    ::kill(-pid, SIGKILL);  // the group: chromedriver and Chromium too, if anything is left
    if (!exited) {
        ::waitpid(pid, &status, 0);
    } else {
        outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    outcome.output = text.str();
    ::unlink(path);
    return outcome;
}

/// The program the environment variable names, else the first of the candidates that exists; ""
/// when there is none.
std::string find_program(const char* variable, std::initializer_list<const char*> candidates) {
    if (const char* chosen = std::getenv(variable)) {
        return chosen;
    }
    for (const char* candidate : candidates) {
        if (::access(candidate, X_OK) == 0) {
            return candidate;
        }
    }
    return "";
}

GRADED_TEST(Lab09Browser, ChatMessageCrossesBetweenTwoTabsOfHeadlessChromium, 4) {
    // Debian packages Chromium (chromium, chromium-driver); Ubuntu ships it as a snap.
    const std::string chromium = find_program("NETLAB_CHROMIUM", {"/usr/bin/chromium", "/snap/bin/chromium"});
    const std::string chromedriver =
        find_program("NETLAB_CHROMEDRIVER", {"/usr/bin/chromedriver", "/snap/bin/chromium.chromedriver"});
    if (chromium.empty() || chromedriver.empty()) {
        GTEST_SKIP() << "no Chromium or ChromeDriver here (set NETLAB_CHROMIUM and NETLAB_CHROMEDRIVER)";
    }
    ServerProcess server("ws_chat_server", listen_args());
    const std::string url = "http://127.0.0.1:" + std::to_string(server.endpoint.port) + "/";
    const ScriptOutcome outcome =
        run_script({NETLAB_PYTHON, NETLAB_LAB09_BROWSER_CHECK, "--url", url, "--chromium", chromium,
                    "--chromedriver", chromedriver, "--timeout", "45"},
                   50s);
    EXPECT_EQ(outcome.status, 0) << (outcome.status ? "" : "killed after 50 s; ")
                                 << "browser_check.py said:\n"
                                 << outcome.output << "\nws_chat_server stderr:\n"
                                 << server.process.stderr_text();
}

}  // namespace
}  // namespace netlab::testing::lab09
