#pragma once
// Text from outside the program (a server's bytes, a database an older version wrote) made
// safe to store, log and print: valid UTF-8 on one line, with nothing a terminal or a log
// reader would act on. Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace oaiharvest::util {

// The text as one printable line of valid UTF-8:
// - bytes that are not valid UTF-8 (stray continuation bytes, overlong forms, surrogates, code
//   points past U+10FFFF, a sequence cut short) become U+FFFD, one per maximal invalid subpart
//   as Unicode recommends (so 0xFF 0xFE is two, a cut "\xE4\xB8" one);
// - tab, line feed and carriage return become a space;
// - every other C0 control and DEL is shown as \xHH ("\x1B[2J", "\x07"), a C1 control
//   (U+0080..U+009F, which some terminals obey as ESC sequences), a bidirectional formatting
//   character (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the line and
//   paragraph separators U+2028, U+2029 as \uHHHH.
// Everything else is kept as it is; printable(printable(t)) == printable(t).
std::string printable(std::string_view text);

// The text with each maximal invalid UTF-8 subpart replaced by U+FFFD, as printable() does,
// and nothing else changed: for text that must keep its structure (JSON an older version
// stored) but must parse as UTF-8.
std::string valid_utf8(std::string_view text);

// JSON text (as nlohmann's dump() writes it: valid UTF-8, C0 controls escaped) with the
// characters printable() escapes as \uHHHH written as JSON \uHHHH escapes instead: the same
// JSON value, safe to print on a terminal. They can only stand inside strings, where the
// escape means the same character.
std::string json_terminal_safe(std::string_view json);

// The text as XML 1.0 character data: each character XML forbids (the C0 controls but tab, LF
// and CR; U+FFFE, U+FFFF) and each maximal invalid UTF-8 subpart becomes U+FFFD. An XML writer
// escapes markup but writes these as they are, which would make the whole document not
// well-formed (and NUL would cut a C string short).
std::string xml_text(std::string_view text);

// True when the text holds a C0 control character (tab, CR and LF included) or DEL: what must
// not reach an HTTP header value or any one-line setting.
bool has_control_character(std::string_view text);

}  // namespace oaiharvest::util
