#pragma once
// This file shows:
//  - RAII for a C library's handles: std::unique_ptr with one tiny deleter per type, so each
//    handle has exactly one owner and is freed exactly once, on every path, exceptions included;
//  - which libevent call frees which handle (event_base_free, evconnlistener_free, ...);
//  - that a unique_ptr owner is move-only for free: copying a handle would mean a double free.

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include <memory>

namespace netlab::libevent {

/// Frees an event_base. Free every event, bufferevent and listener of the base first.
struct EventBaseDeleter {
    void operator()(event_base* base) const noexcept { ::event_base_free(base); }
};
/// Frees an event_config (the options for event_base_new_with_config).
struct EventConfigDeleter {
    void operator()(event_config* config) const noexcept { ::event_config_free(config); }
};
/// Frees a listener; with LEV_OPT_CLOSE_ON_FREE it also closes the listening socket.
struct ListenerDeleter {
    void operator()(evconnlistener* listener) const noexcept { ::evconnlistener_free(listener); }
};
/// Frees a bufferevent; with BEV_OPT_CLOSE_ON_FREE it also closes the socket. Its callbacks never
/// run again afterwards, so freeing it inside its own callback is allowed (libevent holds a
/// reference until that callback returns) - but nothing may touch it after the free.
struct BufferEventDeleter {
    void operator()(bufferevent* bev) const noexcept { ::bufferevent_free(bev); }
};
/// Frees an event (timer, signal, or I/O); event_free also removes it from the loop if pending.
struct EventDeleter {
    void operator()(event* ev) const noexcept { ::event_free(ev); }
};
/// Frees an evhttp server with its listeners, connections and unfinished requests.
struct EvHttpDeleter {
    void operator()(evhttp* http) const noexcept { ::evhttp_free(http); }
};
/// Frees an evbuffer that no bufferevent or request owns.
struct EvBufferDeleter {
    void operator()(evbuffer* buffer) const noexcept { ::evbuffer_free(buffer); }
};

/// Owns an event_base (the loop).
using EventBasePtr = std::unique_ptr<event_base, EventBaseDeleter>;
/// Owns an event_config.
using EventConfigPtr = std::unique_ptr<event_config, EventConfigDeleter>;
/// Owns an evconnlistener (an accepting socket inside the loop).
using ListenerPtr = std::unique_ptr<evconnlistener, ListenerDeleter>;
/// Owns a bufferevent (a socket with an input and an output buffer).
using BufferEventPtr = std::unique_ptr<bufferevent, BufferEventDeleter>;
/// Owns an event.
using EventPtr = std::unique_ptr<event, EventDeleter>;
/// Owns an evhttp server.
using EvHttpPtr = std::unique_ptr<evhttp, EvHttpDeleter>;
/// Owns an evbuffer.
using EvBufferPtr = std::unique_ptr<evbuffer, EvBufferDeleter>;

}  // namespace netlab::libevent
