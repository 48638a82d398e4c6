#pragma once
// This file shows:
//  - the Content-Type of a static file, chosen by its extension (what nginx's mime.types does),
//    with a safe default for anything unknown.

#include <string_view>

namespace netlab::libevent {

/// "text/html; charset=utf-8" for "index.html", "image/png" for "a.PNG", ...;
/// "application/octet-stream" when the extension is unknown or missing.
std::string_view content_type_for(std::string_view path);

}  // namespace netlab::libevent
