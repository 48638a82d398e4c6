// This lab shows:
//  - a MultiHandle (curl_multi_cleanup in its deleter) and a fixed pool of easy handles that
//    are reused, transfer after transfer, so connections are kept alive across the list;
//  - the loop: perform, read every message, refill the freed slot, poll; never a busy loop;
//  - an easy handle always removed from the multi handle before it is reused or destroyed;
//  - the pool's slot as EasyHandle's friend: outside the class, it alone runs a transfer in two steps.

#include "07_libcurl/multi_fetch.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "07_libcurl/curl_global.hpp"
#include "07_libcurl/easy_handle.hpp"

namespace netlab::curl {

/// One slot of the pool: a reusable easy handle and the request it is running. The handle's
/// prepare() and finish() are private: this slot is the one place in the library outside EasyHandle
/// that calls them.
struct detail::MultiSlot {
    EasyHandle easy;
    std::size_t index = 0;
    bool attached = false;

    /// Sets easy up for request, the body kept in memory; curl_multi_add_handle runs it.
    void prepare(const Request& request) { easy.prepare(request, {}, {}); }
    /// The Outcome of the transfer curl_multi_info_read reported with result.
    Outcome finish(CURLcode result) { return easy.finish(result); }
};

namespace {

using Slot = detail::MultiSlot;

/// How long curl_multi_poll may sleep when curl asks for no earlier wake-up.
constexpr int kPollMillis = 1000;

struct MultiDeleter {
    void operator()(CURLM* multi) const noexcept { ::curl_multi_cleanup(multi); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

/// Detaches every attached slot on destruction, so no easy handle outlives its multi membership.
class Detacher {
public:
    Detacher(CURLM* multi, std::vector<Slot>& slots) : multi_(multi), slots_(slots) {}
    ~Detacher() {
        for (Slot& slot : slots_) {
            if (slot.attached) {
                ::curl_multi_remove_handle(multi_, slot.easy.get());
                slot.attached = false;
            }
        }
    }
    Detacher(const Detacher&) = delete;
    Detacher& operator=(const Detacher&) = delete;

private:
    CURLM* multi_;
    std::vector<Slot>& slots_;
};

}  // namespace

std::vector<Outcome> fetch_many(std::span<const Request> requests, std::size_t parallel,
                                const DoneFn& on_done) {
    if (parallel == 0) {
        throw std::invalid_argument("fetch_many: parallel must be at least 1");
    }
    std::vector<Outcome> outcomes(requests.size());
    if (requests.empty()) {
        return outcomes;
    }
    global_init();
    const MultiHandle multi(::curl_multi_init());
    if (!multi) {
        throw std::runtime_error("curl_multi_init failed");
    }
    std::vector<Slot> slots(std::min(parallel, requests.size()));  // declared after multi: destroyed first
    const Detacher detacher(multi.get(), slots);
    // BEGIN SOLUTION fetch_many
    std::size_t next = 0;
    std::size_t done = 0;
    const auto start = [&](Slot& slot) {
        slot.index = next++;
        slot.prepare(requests[slot.index]);
        check("curl_easy_setopt(CURLOPT_PRIVATE)",  // how a finished message leads back to its slot
              ::curl_easy_setopt(slot.easy.get(), CURLOPT_PRIVATE, static_cast<void*>(&slot)));
        check_multi("curl_multi_add_handle", ::curl_multi_add_handle(multi.get(), slot.easy.get()));
        slot.attached = true;
    };
    for (Slot& slot : slots) {
        start(slot);
    }
    while (done < requests.size()) {
        int running = 0;
        check_multi("curl_multi_perform", ::curl_multi_perform(multi.get(), &running));
        int queued = 0;
        while (CURLMsg* message = ::curl_multi_info_read(multi.get(), &queued)) {
            if (message->msg != CURLMSG_DONE) {
                continue;
            }
            void* owner = nullptr;
            ::curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &owner);
            Slot& slot = *static_cast<Slot*>(owner);
            const CURLcode result = message->data.result;  // read before remove: message dies with it
            check_multi("curl_multi_remove_handle", ::curl_multi_remove_handle(multi.get(), slot.easy.get()));
            slot.attached = false;
            outcomes[slot.index] = slot.finish(result);  // a failed transfer is an Outcome too
            ++done;
            if (on_done) {
                on_done(slot.index, done, requests.size(), outcomes[slot.index]);
            }
            if (next < requests.size()) {
                start(slot);
            }
        }
        if (done < requests.size()) {
            check_multi("curl_multi_poll", ::curl_multi_poll(multi.get(), nullptr, 0, kPollMillis, nullptr));
        }
    }
    return outcomes;
    // END SOLUTION
}

}  // namespace netlab::curl
