#pragma once
// This file shows:
//  - the one rule for text that came from a peer, whoever shows it: a client's terminal, a
//    server's log line or a relayed chat message;
//  - escaping rather than trusting: a peer's ESC or OSC sequence could retitle or clear the
//    terminal, an embedded newline could forge a whole "admin: ..." line, and a bidi override
//    could make a line read backwards; escaped, each is visible and harmless;
//  - names held to a stricter rule than text: a name is printable UTF-8, or it is refused.

#include <optional>
#include <string>
#include <string_view>

namespace netlab {

/// peer_text made safe to print on one line: printable UTF-8 passes through; backslash,
/// C0/DEL/C1 controls, bidi and line-separator format characters and invalid UTF-8 bytes become
/// \\, \n, \t, \r, \e, \xNN (a byte) or \u{NNNN} (a code point). The result holds no control byte.
[[nodiscard]] std::string printable(std::string_view peer_text);

/// Why name cannot be a display name, or nullopt when it can: it must be non-empty, valid
/// UTF-8, with no control or format character (the ones printable() escapes) and no space at
/// either end.
[[nodiscard]] std::optional<std::string> name_problem(std::string_view name);

}  // namespace netlab
