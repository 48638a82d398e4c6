#include "07_libcurl/curl_error.hpp"

namespace netlab::curl {
namespace {

std::string describe(const std::string& call, CURLcode code, const std::string& detail) {
    const bool header_too_large = detail == kHeaderTooLarge;  // libcurl's own text would say "Out of memory"
    std::string text =
        call + ": " + (header_too_large ? "response header too large" : ::curl_easy_strerror(code));
    if (!detail.empty()) {
        text += " (" + detail + ")";
    }
    return text;
}

}  // namespace

CurlError::CurlError(std::string call, CURLcode code, std::string detail)
    : std::runtime_error(describe(call, code, detail)),
      call_(std::move(call)),
      code_(code),
      detail_(std::move(detail)) {}

void check(const char* call, CURLcode code) {
    if (code != CURLE_OK) {
        throw CurlError(call, code, "");
    }
}

void check_multi(const char* call, CURLMcode code) {
    if (code != CURLM_OK) {
        throw std::runtime_error(std::string(call) + ": " + ::curl_multi_strerror(code));
    }
}

}  // namespace netlab::curl
