// This lab shows:
//  - the three C callbacks of a transfer (body, header, transfer info) as static functions
//    that find their C++ state through the user pointer, never let an exception cross into C,
//    and turn "stop" into the return value libcurl defines for it;
//  - options set on a reset handle whenever the request changes, so nothing leaks from one
//    request into the next, while the connection cache (keep-alive) survives curl_easy_reset;
//    the same request again keeps the options it set (libcurl's options stay between transfers),
//    which saves a reset and twenty setopts per request in a loop;
//  - CURLcode plus the error buffer mapped to one CurlError, returned in the Outcome as a value,
//    and the Response filled from curl_easy_getinfo.

#include "07_libcurl/easy_handle.hpp"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "07_libcurl/curl_error.hpp"
#include "07_libcurl/curl_global.hpp"
#include "07_libcurl/header_line.hpp"

namespace netlab::curl {
namespace {

/// More fields than this in one response is a hostile server: the transfer is aborted.
constexpr std::size_t kMaxHeaderFields = 200;

struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { ::curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

/// curl_easy_setopt that throws CurlError naming the option.
template <typename Value>
void set(CURL* handle, CURLoption option, const char* name, Value value) {
    const CURLcode code = ::curl_easy_setopt(handle, option, value);
    if (code != CURLE_OK) {
        throw CurlError(std::string("curl_easy_setopt(") + name + ")", code, "");
    }
}

/// curl_easy_getinfo into a T, throwing CurlError naming the info.
template <typename T>
T get_info(CURL* handle, CURLINFO info, const char* name) {
    T value{};
    const CURLcode code = ::curl_easy_getinfo(handle, info, &value);
    if (code != CURLE_OK) {
        throw CurlError(std::string("curl_easy_getinfo(") + name + ")", code, "");
    }
    return value;
}

std::chrono::microseconds micros(CURL* handle, CURLINFO info, const char* name) {
    return std::chrono::microseconds(get_info<curl_off_t>(handle, info, name));
}

/// True when result is libcurl refusing a response header line over CURL_MAX_HTTP_HEADER (100 KiB):
/// 7.88 reports it as CURLE_OUT_OF_MEMORY with an empty error buffer before any body byte, 8.6 and
/// later as CURLE_TOO_LARGE.
bool header_limit_hit(CURL* handle, CURLcode result, const char* error) {
#if LIBCURL_VERSION_NUM >= 0x080600
    if (result == CURLE_TOO_LARGE) {
        return true;
    }
#endif
    curl_off_t body_bytes = 0;
    return result == CURLE_OUT_OF_MEMORY && error[0] == '\0' &&
           ::curl_easy_getinfo(handle, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes) == CURLE_OK && body_bytes == 0;
}

const char* method_name(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::delete_:
            return "DELETE";
    }
    return "GET";
}

}  // namespace

/// Everything the callbacks of one transfer touch, and what the handle's options point into.
struct EasyHandle::State {
    /// What one transfer reads and writes: reset by prepare() for every request.
    struct Transfer {
        BodySink sink;        // empty: keep the body in `body`
        ProgressFn progress;  // empty: no transfer-info callback
        std::size_t max_body = 0;
        std::string body;
        long status = 0;              // of the latest status line
        std::vector<Header> headers;  // of the latest response in this transfer
        std::string reason;           // why WE aborted (a refusing sink, a too-big body)
        std::exception_ptr failure;   // what a callback threw; rethrown by finish()
    };
    Transfer transfer;
    std::optional<Request> applied;    // the request the options were set for; nullopt: none yet
    bool applied_progress = false;     // ... and whether they include the transfer-info callback
    std::string post_body;             // CURLOPT_POSTFIELDS points here: it must outlive the transfer
    SlistPtr header_list;              // CURLOPT_HTTPHEADER points here, too
    char error[CURL_ERROR_SIZE] = {};  // CURLOPT_ERRORBUFFER: libcurl writes the detail here
};

EasyHandle::EasyHandle() : state_(std::make_unique<State>()) {
    global_init();  // before the first curl_easy_init, exactly once per process
    handle_.reset(::curl_easy_init());
    if (!handle_) {
        throw CurlError("curl_easy_init", CURLE_FAILED_INIT, "");
    }
}

EasyHandle::~EasyHandle() = default;
EasyHandle::EasyHandle(EasyHandle&&) noexcept = default;
EasyHandle& EasyHandle::operator=(EasyHandle&&) noexcept = default;

long EasyHandle::status_so_far() const noexcept {
    return state_ ? state_->transfer.status : 0;
}

std::size_t EasyHandle::on_body(char* data, std::size_t size, std::size_t count, void* user) {
    // BEGIN SOLUTION on_body
    auto& state = *static_cast<State::Transfer*>(user);
    const std::size_t bytes = size * count;     // size is always 1, but the contract is the product
    const std::string_view chunk(data, bytes);  // NOT NUL-terminated: never strlen(data)
    try {
        if (state.sink) {
            if (!state.sink(chunk)) {
                state.reason = "the body sink refused a chunk";
                return CURL_WRITEFUNC_ERROR;  // any count but `bytes` aborts: CURLE_WRITE_ERROR
            }
        } else if (bytes > state.max_body - state.body.size()) {
            state.reason = "the body is larger than max_body (" + std::to_string(state.max_body) + " bytes)";
            return CURL_WRITEFUNC_ERROR;
        } else {
            state.body.append(chunk);
        }
        return bytes;  // exactly what we were given: "all taken"
    } catch (...) {    // an exception must never unwind through libcurl's C frames
        state.failure = std::current_exception();
        return CURL_WRITEFUNC_ERROR;
    }
    // END SOLUTION
}

std::size_t EasyHandle::on_header(char* data, std::size_t size, std::size_t count, void* user) {
    // BEGIN SOLUTION on_header
    auto& state = *static_cast<State::Transfer*>(user);
    const std::size_t bytes = size * count;
    try {
        HeaderLine line = parse_header_line(std::string_view(data, bytes));
        if (line.kind == LineKind::status) {  // a new response: a redirect hop or "100 Continue" ended
            state.status = line.status;
            state.headers.clear();
            state.headers.reserve(16);  // one allocation for a typical response, not four regrowths
        } else if (line.kind == LineKind::field) {
            if (state.headers.size() == kMaxHeaderFields) {
                state.reason = "more than " + std::to_string(kMaxHeaderFields) + " header fields";
                return CURL_WRITEFUNC_ERROR;
            }
            state.headers.push_back(Header{std::move(line.name), std::move(line.value)});
        }
        return bytes;
    } catch (...) {
        state.failure = std::current_exception();
        return CURL_WRITEFUNC_ERROR;
    }
    // END SOLUTION
}

int EasyHandle::on_progress(void* user, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total,
                            curl_off_t ul_now) {
    // BEGIN SOLUTION on_progress
    auto& state = *static_cast<State::Transfer*>(user);
    const auto count = [](curl_off_t value) { return static_cast<std::uint64_t>(value < 0 ? 0 : value); };
    try {
        const Progress now{count(dl_now), count(dl_total), count(ul_now), count(ul_total)};
        return state.progress(now) ? 0 : 1;  // non-zero aborts: CURLE_ABORTED_BY_CALLBACK
    } catch (...) {
        state.failure = std::current_exception();
        return 1;
    }
    // END SOLUTION
}

void EasyHandle::prepare(const Request& request, BodySink sink, ProgressFn progress) {
    if (!handle_) {
        throw std::logic_error("EasyHandle: used after it was moved from");
    }
    State& state = *state_;
    state.transfer = State::Transfer{};
    state.transfer.sink = std::move(sink);
    state.transfer.progress = std::move(progress);
    state.transfer.max_body = request.max_body;
    state.error[0] = '\0';
    const bool wants_progress = static_cast<bool>(state.transfer.progress);
    if (state.applied && *state.applied == request && state.applied_progress == wants_progress) {
        return;  // the options already say exactly this
    }
    state.applied.reset();  // if apply() throws half-way, the next request applies everything again
    apply(request);
    state.applied = request;
    state.applied_progress = wants_progress;
}

void EasyHandle::apply(const Request& request) {
    start_options(request);
    apply_request_options(request);
    apply_transfer_policy(request);
}

void EasyHandle::start_options(const Request& request) {
    CURL* handle = handle_.get();
    State& state = *state_;
    ::curl_easy_reset(handle);  // every option back to its default; live connections are kept
    state.header_list.reset();  // libcurl no longer points at the last request's list and body
    state.post_body.clear();
    set(handle, CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER", state.error);
    set(handle, CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1L);  // no SIGALRM for DNS timeouts: threads are safe
    set(handle, CURLOPT_URL, "CURLOPT_URL", request.url.c_str());
    set(handle, CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION", &EasyHandle::on_body);
    set(handle, CURLOPT_WRITEDATA, "CURLOPT_WRITEDATA", static_cast<void*>(&state.transfer));
    set(handle, CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION", &EasyHandle::on_header);
    set(handle, CURLOPT_HEADERDATA, "CURLOPT_HEADERDATA", static_cast<void*>(&state.transfer));
    if (state.transfer.progress) {
        set(handle, CURLOPT_XFERINFOFUNCTION, "CURLOPT_XFERINFOFUNCTION", &EasyHandle::on_progress);
        set(handle, CURLOPT_XFERINFODATA, "CURLOPT_XFERINFODATA", static_cast<void*>(&state.transfer));
        set(handle, CURLOPT_NOPROGRESS, "CURLOPT_NOPROGRESS", 0L);
    }
}

void EasyHandle::apply_request_options(const Request& request) {
    // BEGIN SOLUTION apply_request_options
    CURL* handle = handle_.get();
    State& state = *state_;
    set(handle, CURLOPT_USERAGENT, "CURLOPT_USERAGENT", "netlab-http/1.0");
    for (const std::string& line : request.headers) {
        curl_slist* head = ::curl_slist_append(state.header_list.get(), line.c_str());  // the list's head
        if (head == nullptr) {
            throw CurlError("curl_slist_append", CURLE_OUT_OF_MEMORY, "");
        }
        if (!state.header_list) {
            state.header_list.reset(head);
        }
    }
    if (state.header_list) {
        set(handle, CURLOPT_HTTPHEADER, "CURLOPT_HTTPHEADER", state.header_list.get());
    }
    if (request.method == Method::head) {
        set(handle, CURLOPT_NOBODY, "CURLOPT_NOBODY", 1L);
    } else if (request.method != Method::get) {
        state.post_body = request.body.value_or("");
        set(handle, CURLOPT_POSTFIELDSIZE_LARGE, "CURLOPT_POSTFIELDSIZE_LARGE",
            static_cast<curl_off_t>(state.post_body.size()));
        set(handle, CURLOPT_POSTFIELDS, "CURLOPT_POSTFIELDS", state.post_body.data());
    }
    if (request.method != Method::get && request.method != Method::head && request.method != Method::post) {
        set(handle, CURLOPT_CUSTOMREQUEST, "CURLOPT_CUSTOMREQUEST", method_name(request.method));
    }
    // END SOLUTION
}

void EasyHandle::apply_transfer_policy(const Request& request) {
    // BEGIN SOLUTION apply_transfer_policy
    CURL* handle = handle_.get();
    set(handle, CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", "http,https");
    set(handle, CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR", "http,https");
    set(handle, CURLOPT_TIMEOUT_MS, "CURLOPT_TIMEOUT_MS", static_cast<long>(request.timeout.count()));
    set(handle, CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS",
        static_cast<long>(request.connect_timeout.count()));
    set(handle, CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", request.follow_redirects ? 1L : 0L);
    set(handle, CURLOPT_MAXREDIRS, "CURLOPT_MAXREDIRS", request.max_redirects);
    if (!request.ca_file.empty()) {
        set(handle, CURLOPT_CAINFO, "CURLOPT_CAINFO", request.ca_file.c_str());
    }
    if (request.fresh_connection) {
        set(handle, CURLOPT_FRESH_CONNECT, "CURLOPT_FRESH_CONNECT", 1L);
        set(handle, CURLOPT_FORBID_REUSE, "CURLOPT_FORBID_REUSE", 1L);
    }
    // END SOLUTION
}

Outcome EasyHandle::finish(CURLcode result) {
    // BEGIN SOLUTION finish
    State::Transfer& transfer = state_->transfer;
    if (transfer.failure) {  // a callback threw: that exception is the real story, not CURLE_WRITE_ERROR
        std::rethrow_exception(std::exchange(transfer.failure, nullptr));
    }
    if (result != CURLE_OK) {  // an expected end (timeout, refused, cut short): a value, not a throw
        std::string detail = transfer.reason.empty() ? std::string(state_->error) : transfer.reason;
        return Outcome{std::nullopt, CurlError("curl_easy_perform", result, std::move(detail))};
    }
    CURL* handle = handle_.get();
    Outcome outcome;
    Response& response = outcome.response.emplace();
    response.status = get_info<long>(handle, CURLINFO_RESPONSE_CODE, "CURLINFO_RESPONSE_CODE");
    const char* url = get_info<const char*>(handle, CURLINFO_EFFECTIVE_URL, "CURLINFO_EFFECTIVE_URL");
    response.effective_url = url != nullptr ? url : "";
    response.new_connections = get_info<long>(handle, CURLINFO_NUM_CONNECTS, "CURLINFO_NUM_CONNECTS");
    response.body_bytes = static_cast<std::uint64_t>(
        get_info<curl_off_t>(handle, CURLINFO_SIZE_DOWNLOAD_T, "CURLINFO_SIZE_DOWNLOAD_T"));
    Timings& t = response.timings;
    t.name_lookup = micros(handle, CURLINFO_NAMELOOKUP_TIME_T, "CURLINFO_NAMELOOKUP_TIME_T");
    t.connect = micros(handle, CURLINFO_CONNECT_TIME_T, "CURLINFO_CONNECT_TIME_T");
    t.tls_handshake = micros(handle, CURLINFO_APPCONNECT_TIME_T, "CURLINFO_APPCONNECT_TIME_T");
    t.pretransfer = micros(handle, CURLINFO_PRETRANSFER_TIME_T, "CURLINFO_PRETRANSFER_TIME_T");
    t.first_byte = micros(handle, CURLINFO_STARTTRANSFER_TIME_T, "CURLINFO_STARTTRANSFER_TIME_T");
    t.total = micros(handle, CURLINFO_TOTAL_TIME_T, "CURLINFO_TOTAL_TIME_T");
    t.redirect = micros(handle, CURLINFO_REDIRECT_TIME_T, "CURLINFO_REDIRECT_TIME_T");
    response.headers = std::move(transfer.headers);
    response.body = std::move(transfer.body);
    return outcome;
    // END SOLUTION
}

Outcome EasyHandle::perform(const Request& request) {
    return perform(request, {}, {});
}

Outcome EasyHandle::perform(const Request& request, BodySink sink, ProgressFn progress) {
    prepare(request, std::move(sink), std::move(progress));
    const CURLcode result = ::curl_easy_perform(handle_.get());  // blocks until done, on this thread
    if (header_limit_hit(handle_.get(), result, state_->error)) {
        std::snprintf(state_->error, sizeof state_->error, "%s", kHeaderTooLarge);
    }
    return finish(result);
}

}  // namespace netlab::curl
