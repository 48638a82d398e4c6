#pragma once
// This file shows:
//  - reading a line with the limit checked while reading: std::getline would first store a whole
//    600 MiB "line" (a file with no newline) and only then let us see it is too long;
//  - the outcome as a value (a line, the end, a line too long), not an exception.

#include <cstddef>
#include <istream>
#include <string>

namespace netlab::mqtt {

/// What read_bounded_line found.
enum class LineRead {
    line,      ///< a whole line is in the output (a last line without '\n' counts)
    end,       ///< end of input before any byte
    too_long,  ///< max_bytes + 1 bytes and still no '\n': the output holds them, the rest is unread
};

/// Reads one line of at most max_bytes bytes (the '\n' not counted, not stored) into line. Never
/// holds more than max_bytes + 1 bytes of it.
LineRead read_bounded_line(std::istream& in, std::size_t max_bytes, std::string& line);

}  // namespace netlab::mqtt
