// Lab 07: the header-line parser as a pure function, on exactly what libcurl's header callback
// receives: one line per call with its CRLF, not NUL-terminated.

#include <string>

#include "07_libcurl/header_line.hpp"
#include "graded.hpp"

namespace nc = netlab::curl;

GRADED_TEST(Lab07HeaderLine, ParsesStatusLinesFieldsAndTheEnd, 4) {
    SCOPED_TRACE("a status line of HTTP/1.1 and of HTTP/2");
    nc::HeaderLine line = nc::parse_header_line("HTTP/1.1 404 Not Found\r\n");
    EXPECT_EQ(line.kind, nc::LineKind::status);
    EXPECT_EQ(line.status, 404);
    line = nc::parse_header_line("HTTP/2 200\r\n");
    EXPECT_EQ(line.kind, nc::LineKind::status);
    EXPECT_EQ(line.status, 200);

    SCOPED_TRACE("a field: the name keeps its case, the value loses surrounding blanks");
    line = nc::parse_header_line("Content-Type: \t text/plain; charset=utf-8 \r\n");
    EXPECT_EQ(line.kind, nc::LineKind::field);
    EXPECT_EQ(line.name, "Content-Type");
    EXPECT_EQ(line.value, "text/plain; charset=utf-8");
    line = nc::parse_header_line("X-Empty:\r\n");
    EXPECT_EQ(line.kind, nc::LineKind::field);
    EXPECT_EQ(line.value, "");

    SCOPED_TRACE("the blank line that ends the head, with CRLF or a bare LF");
    EXPECT_EQ(nc::parse_header_line("\r\n").kind, nc::LineKind::end);
    EXPECT_EQ(nc::parse_header_line("\n").kind, nc::LineKind::end);
}

GRADED_TEST(Lab07HeaderLine, RefusesMalformedLinesAndReadsOnlyItsBytes, 3) {
    for (const std::string bad :
         {"HTTP/1.1 20\r\n", "HTTP/1.1 2x0 OK\r\n", "HTTP/1.1 2000\r\n", "no colon here\r\n", ": no name\r\n",
          "Bad Name: x\r\n", "Bad\"Name: x\r\n"}) {
        SCOPED_TRACE("line: " + bad);
        EXPECT_EQ(nc::parse_header_line(bad).kind, nc::LineKind::malformed);
    }
    SCOPED_TRACE("a view into a bigger buffer: only its own bytes count, with no NUL after them");
    const std::string buffer = "Host: example.test\r\nSECRET-NOT-PART-OF-THE-LINE";
    const nc::HeaderLine line = nc::parse_header_line(std::string_view(buffer.data(), 20));
    EXPECT_EQ(line.kind, nc::LineKind::field);
    EXPECT_EQ(line.value, "example.test");
    SCOPED_TRACE("a NUL or a bare CR inside a value is refused (RFC 9110 5.5), not cut short");
    EXPECT_EQ(nc::parse_header_line(std::string("X-Bin: a\0b\r\n", 12)).kind, nc::LineKind::malformed);
    EXPECT_EQ(nc::parse_header_line("X-Cr: a\rb\r\n").kind, nc::LineKind::malformed);
}
