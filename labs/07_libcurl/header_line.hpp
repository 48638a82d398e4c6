#pragma once
// This file shows:
//  - a pure parser for what libcurl hands the header callback: exactly one whole line per
//    call, CRLF included, NOT NUL-terminated: a status line ("HTTP/1.1 200 OK"), a field
//    ("Name: value"), or the blank line that ends the header block;
//  - that every response in a transfer (a redirect hop, a "100 Continue") starts with its own
//    status line, which is how the caller knows to forget the previous hop's headers.

#include <string>
#include <string_view>

namespace netlab::curl {

/// What one header line is.
enum class LineKind { status, field, end, malformed };

/// One parsed line. status is set for LineKind::status; name and value for LineKind::field.
struct HeaderLine {
    LineKind kind = LineKind::malformed;
    long status = 0;
    std::string name;
    std::string value;  ///< without leading and trailing blanks
};

/// Parses one header line as delivered by CURLOPT_HEADERFUNCTION (trailing CRLF or LF optional).
/// Pure: no I/O; any bytes are safe. A field value with NUL, CR or LF inside is malformed.
HeaderLine parse_header_line(std::string_view line);

}  // namespace netlab::curl
