#pragma once
// This file shows:
//  - an RAII easy handle: move-only, curl_easy_cleanup in its deleter, and REUSABLE: each
//    perform() resets the options (curl_easy_reset) but keeps the handle's connection cache,
//    so the second request to the same host reuses the kept-alive connection;
//  - the callback contracts handled once, here: a body chunk is not NUL-terminated and the
//    write callback returns exactly its size (anything else aborts the transfer); a sink that
//    refuses data aborts cleanly and the reason is in the Outcome's error; one that throws
//    aborts too, and its exception comes out of perform();
//  - one handle per thread: a handle (and the callbacks it runs) belongs to the thread using it;
//  - a public surface for one transfer at a time: fetch_many's pool alone sets a transfer up
//    and collects it in two steps (prepare, then finish), as a friend; the lab's tests take the
//    first step alone through a second friend, to grade apply's parts and the callbacks before finish.

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "07_libcurl/outcome.hpp"
#include "07_libcurl/request.hpp"

namespace netlab::curl {

/// How far a transfer got, from the transfer-info callback. A total is 0 while unknown.
struct Progress {
    std::uint64_t downloaded = 0;
    std::uint64_t download_total = 0;
    std::uint64_t uploaded = 0;
    std::uint64_t upload_total = 0;
};

/// Takes one body chunk: NOT NUL-terminated, valid only during the call. Returns false to
/// refuse it, which aborts the transfer (an Outcome with CURLE_WRITE_ERROR). Runs inside perform().
using BodySink = std::function<bool(std::string_view chunk)>;
/// Called repeatedly during a transfer, inside perform(). Returns false to abort it
/// (an Outcome with CURLE_ABORTED_BY_CALLBACK). Must not block.
using ProgressFn = std::function<bool(const Progress&)>;

namespace detail {
struct MultiSlot;      // one handle of fetch_many's pool (multi_fetch.cpp): it runs prepare, then finish
struct TransferSteps;  // tests/lab07/transfer_steps.hpp: prepare alone, for the tests of one exercise
}  // namespace detail

/// One libcurl easy handle. Move-only; use it from one thread at a time.
class EasyHandle {
public:
    /// Initialises libcurl once per process, then creates the handle. Throws CurlError.
    EasyHandle();
    ~EasyHandle();
    EasyHandle(EasyHandle&&) noexcept;
    EasyHandle& operator=(EasyHandle&&) noexcept;
    EasyHandle(const EasyHandle&) = delete;
    EasyHandle& operator=(const EasyHandle&) = delete;

    /// Runs request to the end on this thread; the body lands in Response::body (at most
    /// request.max_body bytes). A 404 or a timeout is an Outcome; a bad option throws CurlError.
    [[nodiscard]] Outcome perform(const Request& request);
    /// Same, but each body chunk goes to sink and Response::body stays empty. progress may be
    /// empty. What sink or progress throws comes out of perform() as it was thrown.
    [[nodiscard]] Outcome perform(const Request& request, BodySink sink, ProgressFn progress = {});

    /// The status of the response being received (0 before its status line). For sinks.
    [[nodiscard]] long status_so_far() const noexcept;

    /// The raw handle, still owned by this object (curl_easy_getinfo after a transfer, say).
    [[nodiscard]] CURL* get() const noexcept { return handle_.get(); }

private:
    friend struct detail::MultiSlot;
    friend struct detail::TransferSteps;

    struct Deleter {
        void operator()(CURL* handle) const noexcept { ::curl_easy_cleanup(handle); }
    };
    struct State;  // what the callbacks of one transfer read and write (easy_handle.cpp)

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user);
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user);
    static int on_progress(void* user, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total,
                           curl_off_t ul_now);
    /// Sets every option for request on a reset handle: start_options, then the two below.
    void apply(const Request& request);
    /// curl_easy_reset, then what every transfer has: the error buffer, no signals, the URL, and
    /// the handle's own callbacks (on_progress only when the transfer has a progress function).
    void start_options(const Request& request);
    /// What goes out: the user agent, the request's header lines, its method and its body.
    void apply_request_options(const Request& request);
    /// How the transfer may go: http and https only, timeouts, redirects, the CA file, and
    /// whether an old connection may be reused.
    void apply_transfer_policy(const Request& request);
    /// Step 1 of a transfer: sets the handle up for request without running it. sink empty =
    /// keep the body in memory. The handle must not be moved until finish().
    void prepare(const Request& request, BodySink sink, ProgressFn progress);
    /// Step 2: the Outcome of the prepared transfer, given the CURLcode that curl_easy_perform or
    /// curl_multi_info_read reported for it. Rethrows what a callback threw.
    Outcome finish(CURLcode result);

    std::unique_ptr<CURL, Deleter> handle_;
    std::unique_ptr<State> state_;  // on the heap: its address, given to the callbacks, survives a move
};

}  // namespace netlab::curl
