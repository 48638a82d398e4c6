#include "07_libcurl/curl_global.hpp"

#include <curl/curl.h>

#include "07_libcurl/curl_error.hpp"

namespace netlab::curl {
namespace {

/// The process-wide libcurl state: initialised on construction, cleaned up at exit.
struct Global {
    Global() : code(::curl_global_init(CURL_GLOBAL_DEFAULT)) {}
    ~Global() {
        if (code == CURLE_OK) {
            ::curl_global_cleanup();
        }
    }
    Global(const Global&) = delete;
    Global& operator=(const Global&) = delete;
    CURLcode code;
};

}  // namespace

void global_init() {
    static const Global global;  // a "magic static": constructed once, thread-safe since C++11
    check("curl_global_init", global.code);
}

}  // namespace netlab::curl
