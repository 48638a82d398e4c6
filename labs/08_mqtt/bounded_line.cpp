// This lab shows:
//  - a line read through the stream buffer one byte at a time (the buffer does the system calls),
//    stopping at the limit instead of at the newline when the newline is too far away.

#include "08_mqtt/bounded_line.hpp"

namespace netlab::mqtt {

LineRead read_bounded_line(std::istream& in, std::size_t max_bytes, std::string& line) {
    line.clear();
    std::streambuf* buffer = in.rdbuf();
    for (;;) {
        const auto c = buffer->sbumpc();
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            return line.empty() ? LineRead::end : LineRead::line;
        }
        if (c == '\n') {
            return LineRead::line;
        }
        line.push_back(std::char_traits<char>::to_char_type(c));
        if (line.size() > max_bytes) {
            return LineRead::too_long;
        }
    }
}

}  // namespace netlab::mqtt
