#pragma once
// This file shows:
//  - a bufferevent: a socket plus an input and an output evbuffer; libevent reads into input and
//    writes from output on its own, and calls us when data arrived, when output drained, or when
//    the connection ended (EOF, error, timeout);
//  - the ownership rule that keeps it safe: exactly one owner frees it, possibly from inside its
//    own callback (libevent allows that), and nothing touches it afterwards.

#include <chrono>
#include <functional>
#include <memory>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"
#include "common/unique_fd.hpp"

namespace netlab::libevent {

/// A connected, non-blocking socket with libevent's buffers. Move-only; loop thread only.
class BufferEvent {
public:
    /// Runs on the loop thread (read: input has new data; write: output drained to the low watermark);
    /// must not block. It may destroy this BufferEvent if it touches nothing of it afterwards.
    using DataCallback = std::function<void()>;
    /// Runs on the loop thread with BEV_EVENT_* flags and, for BEV_EVENT_ERROR, the errno; must not
    /// block. The usual place to destroy the BufferEvent (and then touch nothing of it).
    using EventCallback = std::function<void(short events, int error)>;

    /// Takes ownership of a connected socket (made non-blocking here; closed when freed).
    /// Reading and writing start disabled: set the callbacks, then enable(). Throws std::system_error.
    BufferEvent(EventBase& base, UniqueFd socket);
    /// Takes other's handle; a moved-from BufferEvent holds nothing: only destroy it or assign to it.
    BufferEvent(BufferEvent&&) noexcept = default;
    /// Frees this bufferevent first (closing its socket), then takes other's.
    BufferEvent& operator=(BufferEvent&& other) noexcept;
    ~BufferEvent() = default;

    /// Sets all three callbacks at once (an empty function means "not interested").
    void set_callbacks(DataCallback on_read, DataCallback on_write, EventCallback on_event);
    /// Enables EV_READ and/or EV_WRITE; a read timeout only runs while reading is enabled.
    void enable(short what);
    /// Disables EV_READ and/or EV_WRITE (disabling EV_READ is how to stop reading a peer).
    void disable(short what);
    /// True if every flag in what is enabled.
    [[nodiscard]] bool enabled(short what) const noexcept;
    /// Idle timeouts: BEV_EVENT_TIMEOUT|READING after `read` without data (while reading is enabled),
    /// BEV_EVENT_TIMEOUT|WRITING after `write` without progress on pending output. 0 means none.
    void set_timeouts(std::chrono::milliseconds read, std::chrono::milliseconds write);
    /// The write callback runs when output drains to `low` bytes or fewer (0: when it is empty).
    void set_write_low_watermark(std::size_t low);
    /// The most libevent writes per loop turn (default 16 KiB). Reads are capped at 4096 bytes in
    /// libevent 2.1 whatever bufferevent_set_max_single_read says.
    void set_max_single_write(std::size_t bytes);

    /// The input buffer: what libevent read and nobody consumed yet.
    [[nodiscard]] evbuffer* input() const noexcept { return ::bufferevent_get_input(bev_.get()); }
    /// The output buffer: what waits to be written to the socket.
    [[nodiscard]] evbuffer* output() const noexcept { return ::bufferevent_get_output(bev_.get()); }
    /// The socket, still owned by the bufferevent.
    [[nodiscard]] int socket_fd() const noexcept { return ::bufferevent_getfd(bev_.get()); }
    /// The raw bufferevent, still owned by this object.
    [[nodiscard]] bufferevent* get() const noexcept { return bev_.get(); }

private:
    struct State {
        event_base* base;
        DataCallback on_read;
        DataCallback on_write;
        EventCallback on_event;
    };
    static void read_trampoline(bufferevent* bev, void* ctx);
    static void write_trampoline(bufferevent* bev, void* ctx);
    static void event_trampoline(bufferevent* bev, short events, void* ctx);

    std::unique_ptr<State> state_;  // the C side's ctx: stays put when the BufferEvent moves
    BufferEventPtr bev_;            // declared last, so it is freed first: no callback after state_ dies
};

}  // namespace netlab::libevent
