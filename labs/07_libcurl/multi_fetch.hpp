#pragma once
// This file shows:
//  - the multi interface driving many transfers from ONE thread: at most `parallel` easy
//    handles are attached at once; curl_multi_perform moves them all forward, curl_multi_poll
//    sleeps until a socket is ready (or a timeout curl asked for), and curl_multi_info_read
//    reports each finished transfer with its own CURLcode;
//  - every transfer accounted for: one Outcome per request, in request order, holding either
//    a Response (any HTTP status) or the CurlError that ended it, as EasyHandle::perform returns.

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "07_libcurl/outcome.hpp"
#include "07_libcurl/request.hpp"

namespace netlab::curl {

/// Called on the calling thread after each transfer: its index in the requests, how many are
/// done so far (1..total) and the total. Must not block; an exception stops fetch_many.
using DoneFn = std::function<void(std::size_t index, std::size_t done, std::size_t total, const Outcome&)>;

/// Runs every request, at most parallel (>= 1) at a time, through one multi handle, with each
/// body kept in memory (Request::max_body). Returns one Outcome per request, in order.
/// Throws std::invalid_argument for parallel 0, std::runtime_error if the multi handle fails.
std::vector<Outcome> fetch_many(std::span<const Request> requests, std::size_t parallel,
                                const DoneFn& on_done = {});

}  // namespace netlab::curl
