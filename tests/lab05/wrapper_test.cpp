// Lab 05, the C++ wrapper of libevent, in-process: owners free what they own, timers fire once,
// loopexit works even before dispatch(), a signal arrives as a loop callback, a read event reports
// data and quiet spells, a bufferevent may be freed in its own event callback, and an exception
// from a callback comes out of dispatch().
// Every loop runs under a raw event_base_loopexit() deadline, so a broken wrapper fails, not hangs.

#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "05_libevent/event/buffer_event.hpp"
#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/listener.hpp"
#include "05_libevent/event/read_event.hpp"
#include "05_libevent/event/signal_event.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "bytes.hpp"
#include "deadline.hpp"
#include "event_loop.hpp"
#include "graded.hpp"
#include "test_socket.hpp"

namespace netlab::testing {
namespace {

using libevent::BufferEvent;
using libevent::EventBase;
using libevent::Listener;
using libevent::ReadEvent;
using libevent::SignalEvent;
using libevent::TimerEvent;

GRADED_TEST(Lab05Wrapper, ListenerBindsPortZeroAndClosesWhenFreed, 2) {
    std::uint16_t port = 0;
    {
        EventBase base;
        int accepted = 0;
        Listener listener(base, HostPort{"127.0.0.1", 0}, [&](UniqueFd client, const sockaddr*, socklen_t) {
            EXPECT_TRUE(client) << "the accept callback got no descriptor";
            ++accepted;
            base.loopexit();
        });
        SCOPED_TRACE("a listener on 127.0.0.1:0 knows its real port and accepts a client through the loop");
        port = bound_port(listener.socket_fd());
        ASSERT_NE(port, 0) << "the listener's socket should be bound to a real port";
        const UniqueFd client = connect_to("127.0.0.1", port);
        const auto took = dispatch_within(base, 5s);
        EXPECT_EQ(accepted, 1) << "the accept callback ran " << accepted << " times within " << took.count()
                               << " ms";
    }
    SCOPED_TRACE("after the listener and base are destroyed the port is closed (LEV_OPT_CLOSE_ON_FREE)");
    EXPECT_THROW(static_cast<void>(connect_to("127.0.0.1", port)), std::system_error)
        << "connecting to the freed listener's port " << port << " should be refused";
}

GRADED_TEST(Lab05Wrapper, TimerFiresOnceThenTheLoopRunsDry, 3) {
    EventBase base;
    int fired = 0;
    std::thread::id fired_on;
    TimerEvent timer(base, [&] {
        ++fired;
        fired_on = std::this_thread::get_id();
    });
    SCOPED_TRACE(
        "a 50 ms one-shot timer fires once, on the thread running dispatch(); then no event is left");
    EXPECT_FALSE(timer.pending()) << "a timer is not armed before start()";
    timer.start(50ms);
    EXPECT_TRUE(timer.pending());
    // No safety deadline here: it would itself be a pending event, and the loop could not run dry.
    const auto start = Clock::now();
    base.dispatch();  // nothing else pending: returns once the timer has fired
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(fired_on, std::this_thread::get_id());
    EXPECT_GE(took.count(), 45) << "the timer fired early";
    EXPECT_LT(took.count(), 5000) << "dispatch() should return once no event is pending";
    EXPECT_FALSE(timer.pending());
    SCOPED_TRACE("moving an armed timer keeps its callback working (the ctx does not move)");
    timer.start(10ms);
    TimerEvent moved = std::move(timer);
    dispatch_within(base, 5s);
    EXPECT_EQ(fired, 2);
}

REFERENCE_TEST(Lab05Wrapper, SelfMoveKeepsTheHandleAndErrorsCarryErrno) {
    EventBase base;
    {
        SCOPED_TRACE("x = std::move(x) keeps x working: an armed timer still fires, a bufferevent stays");
        int fired = 0;
        TimerEvent timer(base, [&] {
            ++fired;
            base.loopbreak();
        });
        TimerEvent& same = timer;  // through a reference, as self-moves happen in real code
        timer.start(10ms);
        timer = std::move(same);
        EXPECT_TRUE(timer.pending());
        dispatch_within(base, 5s);
        EXPECT_EQ(fired, 1);
        auto [ours, theirs] = socket_pair();
        BufferEvent bev(base, std::move(theirs));
        BufferEvent& alias = bev;
        bev = std::move(alias);
        EXPECT_NE(bev.get(), nullptr) << "a self-move freed the bufferevent";
    }
    {
        SCOPED_TRACE("a failed libevent call throws std::system_error named after it, with errno");
        constexpr int kNotAnOpenFd = 1 << 20;  // above any descriptor limit: fcntl says EBADF
        try {
            BufferEvent bad(base, UniqueFd(kNotAnOpenFd));
            ADD_FAILURE() << "a bufferevent over a descriptor that is not open was created";
        } catch (const std::system_error& error) {
            EXPECT_EQ(error.code().value(), EBADF) << error.what();
            EXPECT_NE(std::string(error.what()).find("evutil_make_socket_nonblocking"), std::string::npos)
                << error.what();
        }
    }
}

GRADED_TEST(Lab05Wrapper, LoopexitFromATimerAndBeforeDispatch, 2) {
    {
        SCOPED_TRACE("loopexit() before dispatch(): the loop runs what is due and returns");
        EventBase base;
        TimerEvent far(base, [] {});
        far.start(60s);  // keeps the loop from running dry
        base.loopexit();
        const auto start = Clock::now();
        base.dispatch();
        EXPECT_LT(Clock::now() - start, 2s) << "dispatch() ignored a loopexit() made before it ran";
    }
    {
        SCOPED_TRACE("a timer's callback calls loopexit(): the loop stops although another timer is pending");
        EventBase base;
        int late = 0;
        TimerEvent stop(base, [&] { base.loopexit(); });
        TimerEvent later(base, [&] { ++late; });
        stop.start(20ms);
        later.start(30s);
        const auto took = dispatch_within(base, 10s);
        EXPECT_LT(took.count(), 5000) << "dispatch() did not return after loopexit() from a callback";
        EXPECT_EQ(late, 0);
        EXPECT_TRUE(later.pending()) << "loopexit stops the loop; it does not cancel events";
    }
}

GRADED_TEST(Lab05Wrapper, SignalEventDeliversSigusr1ThroughTheLoop, 3) {
    EventBase base;
    int delivered = 0;
    std::thread::id delivered_on;
    SignalEvent on_usr1(base, SIGUSR1, [&] {
        ++delivered;
        delivered_on = std::this_thread::get_id();
        base.loopexit();
    });
    TimerEvent raise_it(base, [] { ::raise(SIGUSR1); });
    raise_it.start(10ms);
    SCOPED_TRACE("SIGUSR1 raised from a timer reaches the SignalEvent's callback on the loop thread");
    const auto took = dispatch_within(base, 5s);
    EXPECT_EQ(delivered, 1) << "after " << took.count() << " ms";
    EXPECT_EQ(delivered_on, std::this_thread::get_id());
}

REFERENCE_TEST(Lab05Wrapper, ReadEventReportsDataThenIdleThenStops) {
    EventBase base;
    auto [ours, theirs] = socket_pair();
    std::vector<std::string> seen;  // "data:<bytes>" or "idle", in order
    std::optional<ReadEvent> reader;
    reader.emplace(base, theirs.get(), [&](bool timed_out) {
        if (timed_out) {
            seen.push_back("idle");
            if (seen.size() >= 3) {
                base.loopexit();
                // Destroying the event inside its own callback is allowed, as the callback's last
                // act: this lambda, and what it captured, goes with it (ASan checks).
                reader.reset();
            }
            return;
        }
        char buffer[64];
        const ssize_t n = ::recv(theirs.get(), buffer, sizeof buffer, 0);
        seen.push_back("data:" + std::string(buffer, static_cast<std::size_t>(std::max<ssize_t>(n, 0))));
    });
    SCOPED_TRACE("armed with a 100 ms idle timeout: bytes already waiting are reported first");
    ASSERT_EQ(::send(ours.get(), "hi", 2, 0), 2);
    reader->start(100ms);
    const auto took = dispatch_within(base, 5s);
    ASSERT_GE(seen.size(), 2U);
    EXPECT_EQ(seen.front(), "data:hi");
    EXPECT_EQ(seen[1], "idle") << "after the data, a quiet spell of 100 ms is reported";
    EXPECT_FALSE(reader.has_value()) << "three callbacks should have come within 5 s";
    EXPECT_GE(took.count(), 150) << "the idle reports came early";
    EXPECT_LT(took.count(), 4000) << "idle reports should come every 100 ms";
    SCOPED_TRACE("stop(): no callback at all, even with data waiting");
    int calls = 0;
    ReadEvent stopped(base, theirs.get(), [&](bool) { ++calls; });
    stopped.start(0ms);
    stopped.stop();
    ASSERT_EQ(::send(ours.get(), "x", 1, 0), 1);
    dispatch_within(base, 100ms);
    EXPECT_EQ(calls, 0);
}

GRADED_TEST(Lab05Wrapper, BufferEventReadsWritesAndIsFreedInItsEventCallback, 5) {
    EventBase base;
    auto [ours, theirs] = socket_pair();
    std::optional<BufferEvent> bev;
    bev.emplace(base, std::move(theirs));
    std::string received;
    int drained = 0;
    short last_events = 0;
    bev->set_callbacks(
        [&] {  // read: take what arrived, answer "ok"
            evbuffer* input = bev->input();
            std::string chunk(::evbuffer_get_length(input), '\0');
            ::evbuffer_remove(input, chunk.data(), chunk.size());
            received += chunk;
            ::evbuffer_add(bev->output(), "ok", 2);
        },
        [&] {  // write: the output buffer drained (libevent also calls it on a first, idle write event)
            if (!received.empty() && ::evbuffer_get_length(bev->output()) == 0) {
                ++drained;
                base.loopexit();
            }
        },
        [&](short events, int) {  // EOF: free the bufferevent right here, its owner's way...
            last_events = events;
            base.loopexit();
            bev.reset();  // ...as the very last step: this destroys the running lambda and its captures
        });
    bev->enable(EV_READ | EV_WRITE);
    {
        SCOPED_TRACE("bytes from the peer reach the read callback; the output buffer reaches the peer");
        ASSERT_TRUE(send_within(ours.get(), "hello", 5s));
        dispatch_within(base, 5s);
        EXPECT_EQ(received, "hello");
        EXPECT_EQ(drained, 1) << "the write callback should run once \"ok\" has left the output buffer";
        EXPECT_EQ(read_exactly(ours.get(), 2, 5s), "ok");
    }
    SCOPED_TRACE("the peer half-closes: BEV_EVENT_EOF, and the event callback frees the bufferevent");
    ASSERT_EQ(::shutdown(ours.get(), SHUT_WR), 0);
    dispatch_within(base, 5s);
    EXPECT_NE(last_events & BEV_EVENT_EOF, 0)
        << "the event callback should see BEV_EVENT_EOF, got " << last_events;
    EXPECT_FALSE(bev.has_value()) << "the event callback should have freed the bufferevent";
    SCOPED_TRACE("freeing it closed its socket (BEV_OPT_CLOSE_ON_FREE): we read EOF");
    EXPECT_EQ(read_to_eof(ours.get(), 5s), std::string());
}

GRADED_TEST(Lab05Wrapper, CallbackExceptionComesOutOfDispatch, 2) {
    EventBase base;
    TimerEvent thrower(base, [] { throw std::runtime_error("thrown in a timer callback"); });
    TimerEvent far(base, [] {});
    thrower.start(10ms);
    far.start(30s);
    SCOPED_TRACE("an exception thrown in a callback stops the loop and is rethrown by dispatch()");
    const timeval deadline{5, 0};
    ::event_base_loopexit(base.get(), &deadline);
    try {
        base.dispatch();
        ADD_FAILURE() << "dispatch() returned normally; expected it to rethrow the callback's exception";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "thrown in a timer callback");
    }
}

}  // namespace
}  // namespace netlab::testing
