#pragma once
// This file shows:
//  - what each accept() failure means for a server, decided in one place:
//      retry             the connection died in the backlog, or Linux handed accept() its pending
//                        network error (accept(2): "treat them like EAGAIN by retrying");
//      out_of_resources  EMFILE, ENFILE, ENOBUFS, ENOMEM: the client is still in the backlog, so
//                        the listener stays readable; pause accepting (until a connection ends or
//                        a short timer fires) instead of spinning or exiting;
//      fatal             EBADF, EINVAL, ENOTSOCK...: the listener itself is broken.
//  - EAGAIN counts as retry: a non-blocking listener's client may give up between poll and accept;
//    an event loop reads it as "nothing to accept now".

namespace netlab {

/// What a server should do after accept() failed with an errno value.
enum class AcceptError { retry, out_of_resources, fatal };

/// Classifies accept()'s errno.
[[nodiscard]] AcceptError classify_accept_error(int error) noexcept;

}  // namespace netlab
