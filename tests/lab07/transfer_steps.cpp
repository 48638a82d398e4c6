#include "transfer_steps.hpp"

#include <stdexcept>
#include <string>

namespace netlab::testing {

namespace {

/// CURLOPT_WRITEFUNCTION and HEADERFUNCTION of the test: appends the bytes to the std::string.
std::size_t append_to(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

/// What the callback options say once the test's strings are gone: take nothing (abort).
std::size_t refuse(char* /*data*/, std::size_t /*size*/, std::size_t /*count*/, void* /*user*/) {
    return CURL_WRITEFUNC_ERROR;
}

void set_callbacks(CURL* handle, curl_write_callback function, std::string* head, std::string* body) {
    if (::curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function) != CURLE_OK ||
        ::curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(body)) != CURLE_OK ||
        ::curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, function) != CURLE_OK ||
        ::curl_easy_setopt(handle, CURLOPT_HEADERDATA, static_cast<void*>(head)) != CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt of the test's callbacks failed");
    }
}

}  // namespace

std::string RawTransfer::describe() const {
    return std::string("result ") + std::to_string(result) + " (" + ::curl_easy_strerror(result) +
           "), status " + std::to_string(status) + ", head '" + head + "', body '" + body.substr(0, 2000) +
           "'";
}

namespace {

/// curl_easy_perform on the options set so far, with the test's own callbacks.
RawTransfer perform_on_own_callbacks(CURL* handle) {
    RawTransfer seen;
    set_callbacks(handle, &append_to, &seen.head, &seen.body);
    seen.result = ::curl_easy_perform(handle);
    set_callbacks(handle, &refuse, nullptr, nullptr);
    const char* url = nullptr;
    if (::curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &seen.status) != CURLE_OK ||
        ::curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &url) != CURLE_OK ||
        ::curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &seen.new_connections) != CURLE_OK) {
        throw std::runtime_error("curl_easy_getinfo failed");
    }
    seen.effective_url = url != nullptr ? url : "";
    return seen;
}

}  // namespace

RawTransfer perform_with_own_callbacks(curl::EasyHandle& easy, const curl::Request& request) {
    curl::detail::TransferSteps::prepare(easy, request, {});
    return perform_on_own_callbacks(easy.get());
}

RawTransfer perform_request_options_only(curl::EasyHandle& easy, const curl::Request& request) {
    curl::detail::TransferSteps::apply_request_options_only(easy, request);
    if (::curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count())) !=
        CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt(CURLOPT_TIMEOUT_MS) of the test failed");
    }
    return perform_on_own_callbacks(easy.get());
}

CURLcode perform_without_finish(curl::EasyHandle& easy, const curl::Request& request, curl::BodySink sink) {
    curl::detail::TransferSteps::prepare(easy, request, std::move(sink));
    return ::curl_easy_perform(easy.get());
}

}  // namespace netlab::testing
