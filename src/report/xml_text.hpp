// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace fanout {

// Where escaped bytes stand in an XML document.
enum class XmlPlace {
  text,      // character data between tags
  attribute, // an attribute's value, in double or single quotes
};

// Appends `bytes` (any bytes, not necessarily UTF-8) to `out` so that the
// document stays well-formed XML 1.0 and reads back as the same text where
// XML can hold it (fanout(1), --junit):
// - `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;` `&quot;` `&apos;`, so
//   neither `]]>` nor an end of the attribute can appear;
// - a carriage return becomes `&#13;`, which a parser would otherwise turn
//   into a newline; in an attribute a tab and a newline also become `&#9;`
//   and `&#10;`, which a parser would otherwise turn into spaces;
// - every byte that is not part of a character XML 1.0 allows is shown as
//   `\xNN`, two lowercase hex digits: the control characters other than
//   tab, newline and carriage return (an escape sequence's ESC reads
//   `\x1b`), the bytes of U+FFFE and U+FFFF, and each byte that is not part
//   of valid UTF-8 (a stray continuation byte, an overlong form, a
//   surrogate, a sequence cut short, a code point past U+10FFFF).
// A backslash is left as it is, so `\x1b` in a report may also be those
// four characters in the original.
void append_xml(std::string& out, std::string_view bytes, XmlPlace place);

} // namespace fanout
