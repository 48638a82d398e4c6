// netlab::printable and netlab::name_problem (labs/common/peer_text.hpp) in-process: the one rule
// every lab 04 program applies to a peer's text before a terminal or a log line sees it.

#include <cstdint>
#include <random>
#include <string>

#include "common/peer_text.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

/// True when text holds no C0 control byte and no DEL (C1 controls are multi-byte in UTF-8).
bool free_of_control_bytes(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            return false;
        }
    }
    return true;
}

REFERENCE_TEST(Lab04PeerText, EscapesTerminalControls) {
    SCOPED_TRACE("an OSC that would retitle the terminal, a CSI that would clear it, DEL");
    EXPECT_EQ(printable("\x1b]0;x\x07"), "\\e]0;x\\x07");
    EXPECT_EQ(printable("\x1b[2J\x1b[H"), "\\e[2J\\e[H");
    EXPECT_EQ(printable("a\x7F"), "a\\x7F");
    SCOPED_TRACE("a newline that would forge a whole line, and the other line breakers");
    EXPECT_EQ(printable("hi\nadmin: you are banned"), "hi\\nadmin: you are banned");
    EXPECT_EQ(printable("a\rb\tc"), "a\\rb\\tc");
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    SCOPED_TRACE("C1 controls (U+0085 NEL, U+009B CSI) and the Unicode line separator U+2028");
    EXPECT_EQ(printable("a\xC2\x85"
                        "b"),
              "a\\u{0085}b");
    EXPECT_EQ(printable("\xC2\x9B"
                        "2J"),
              "\\u{009B}2J");
    EXPECT_EQ(printable("a\xE2\x80\xA8"
                        "b"),
              "a\\u{2028}b");
}

REFERENCE_TEST(Lab04PeerText, EscapesBidiOverridesAndBackslash) {
    SCOPED_TRACE("U+202E RIGHT-TO-LEFT OVERRIDE would make the rest of the line read backwards");
    EXPECT_EQ(printable("file\xE2\x80\xAEtxt.exe"), "file\\u{202E}txt.exe");
    EXPECT_EQ(printable("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u{2066}x\\u{2069}");
    SCOPED_TRACE("a backslash is escaped too, so an escape in the output always came from printable()");
    EXPECT_EQ(printable("C:\\dir"), "C:\\\\dir");
    EXPECT_EQ(printable("\\e"), "\\\\e");
}

REFERENCE_TEST(Lab04PeerText, EscapesInvalidUtf8ByteByByte) {
    EXPECT_EQ(printable("\xFF\xFE"), "\\xFF\\xFE");
    SCOPED_TRACE("an overlong '/' (C0 AF), a UTF-16 surrogate half (ED A0 80), past U+10FFFF (F4 90 80 80)");
    EXPECT_EQ(printable("\xC0\xAF"), "\\xC0\\xAF");
    EXPECT_EQ(printable("\xED\xA0\x80"), "\\xED\\xA0\\x80");
    EXPECT_EQ(printable("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");
    SCOPED_TRACE("a sequence cut short, then a valid character: only the broken bytes are escaped");
    EXPECT_EQ(printable("\xE4\xBD"
                        "a"),
              "\\xE4\\xBDa");
    EXPECT_EQ(printable("\xE4\xBD"), "\\xE4\\xBD");
}

REFERENCE_TEST(Lab04PeerText, PrintableTextPassesUnchanged) {
    for (const std::string text : {"hello, world", "流式套接字 stream socket", "你好，世界！",
                                   "emoji \xF0\x9F\x98\x80", "café", "", " leading and trailing spaces "}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(printable(text), text);
    }
}

REFERENCE_TEST(Lab04PeerText, OneMebibyteOfAnything) {
    constexpr std::size_t kSize = 1024 * 1024;
    {
        SCOPED_TRACE("1 MiB of ESC: each becomes \\e, nothing is dropped");
        const std::string escaped = printable(std::string(kSize, '\x1b'));
        EXPECT_EQ(escaped.size(), 2 * kSize);
        EXPECT_TRUE(free_of_control_bytes(escaped));
    }
    {
        SCOPED_TRACE("1 MiB of Chinese text passes unchanged");
        std::string chinese;
        while (chinese.size() < kSize) {
            chinese += "多路复用";
        }
        EXPECT_TRUE(printable(chinese) == chinese);
    }
    SCOPED_TRACE("1 MiB of random bytes: no control byte, and the result is valid printable UTF-8");
    std::mt19937 generator(42);
    std::string noise(kSize, '\0');
    for (char& c : noise) {
        c = static_cast<char>(generator() & 0xFF);
    }
    const std::string escaped = printable(noise);
    EXPECT_TRUE(free_of_control_bytes(escaped));
    EXPECT_EQ(name_problem("x" + escaped + "x"), std::nullopt);
}

REFERENCE_TEST(Lab04PeerText, NameProblemRefusesWhatPrintableWouldChange) {
    for (const std::string name : {"ann", "张三", "Zoë", "ann bob", "a\\b", "\xF0\x9F\x98\x80"}) {
        SCOPED_TRACE("a good name: " + name);
        EXPECT_EQ(name_problem(name), std::nullopt);
    }
    struct Case {
        std::string name;
        std::string reason_part;
    };
    for (const Case& bad :
         {Case{"", "empty"}, Case{" ann", "space"}, Case{"ann ", "space"}, Case{"a\nb", "control"},
          Case{"\x1b[2J", "control"}, Case{"a\xC2\x85", "control"}, Case{"evil\xE2\x80\xAE", "control"},
          Case{"\xFF", "UTF-8"}, Case{"\xC0\xAF", "UTF-8"}, Case{"\xED\xA0\x80", "UTF-8"}}) {
        SCOPED_TRACE("a bad name: " + printable(bad.name));
        const auto problem = name_problem(bad.name);
        ASSERT_TRUE(problem.has_value());
        EXPECT_NE(problem->find(bad.reason_part), std::string::npos) << *problem;
    }
}

}  // namespace
}  // namespace netlab::testing
