// Lab 07: the wrapper's public surface. A user of one EasyHandle sees perform(), not the two
// steps (prepare, finish) that only fetch_many's pool takes; the easy and the multi interface
// hand back the same Outcome, so a refused connection reads alike in both; and request.hpp
// injects no names into the code that includes it.

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "07_libcurl/easy_handle.hpp"
#include "07_libcurl/multi_fetch.hpp"
#include "07_libcurl/request.hpp"
#include "graded.hpp"
#include "lab07_helpers.hpp"
#include "outcome_check.hpp"

namespace netlab::curl {

/// True when a call operator""s(count) finds std::chrono's literal from inside netlab::curl,
/// which a "using namespace std::chrono_literals" in one of the lab's headers would cause.
template <typename T>
constexpr bool kChronoLiteralVisible = requires(T count) {
    operator""s(count);
};

}  // namespace netlab::curl

namespace {

namespace nc = netlab::curl;

template <typename Handle>
constexpr bool kCanPrepare = requires(Handle& handle, const nc::Request& request) {
    handle.prepare(request, nc::BodySink{}, nc::ProgressFn{});
};

template <typename Handle>
constexpr bool kCanFinish = requires(Handle& handle) {
    handle.finish(CURLE_OK);
};

template <typename Handle>
constexpr bool kCanPerform = requires(Handle& handle, const nc::Request& request) {
    handle.perform(request);
};

}  // namespace

REFERENCE_TEST(Lab07Api, OneHandleShowsPerformNotTheMultiSteps) {
    static_assert(kCanPerform<nc::EasyHandle>);
    static_assert(!kCanPrepare<nc::EasyHandle>, "prepare() is fetch_many's, not a user's");
    static_assert(!kCanFinish<nc::EasyHandle>, "finish() is fetch_many's, not a user's");
}

REFERENCE_TEST(Lab07Api, RequestHeaderInjectsNoNames) {
    static_assert(!nc::kChronoLiteralVisible<unsigned long long>,
                  "a lab 07 header says 'using namespace std::chrono_literals'");
    const nc::Request request;
    EXPECT_EQ(request.timeout, std::chrono::seconds(30));
    EXPECT_EQ(request.connect_timeout, std::chrono::seconds(10));
}

REFERENCE_TEST(Lab07Api, EasyAndMultiReturnTheSameOutcome) {
    using EasyResult = decltype(std::declval<nc::EasyHandle&>().perform(std::declval<const nc::Request&>()));
    using MultiResult = decltype(nc::fetch_many(std::declval<const std::vector<nc::Request>&>(), 1));
    static_assert(std::is_same_v<EasyResult, nc::Outcome>);
    static_assert(std::is_same_v<MultiResult, std::vector<nc::Outcome>>);

    SCOPED_TRACE("a refused connection: a value from both, with the same code, nothing thrown");
    nc::Request request;
    request.url = "http://127.0.0.1:" + std::to_string(netlab::testing::refused_port()) + "/";
    nc::EasyHandle handle;
    const nc::CurlError easy = netlab::testing::error_of(handle.perform(request));
    const std::vector<nc::Outcome> many = nc::fetch_many(std::vector<nc::Request>{request}, 1);
    ASSERT_EQ(many.size(), 1U);
    const nc::CurlError multi = netlab::testing::error_of(many.front());
    EXPECT_EQ(easy.code(), CURLE_COULDNT_CONNECT) << easy.what();
    EXPECT_EQ(multi.code(), easy.code()) << multi.what();
    EXPECT_EQ(multi.call(), easy.call());
}
