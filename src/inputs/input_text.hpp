// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fanout {

// A code point and the bytes of its UTF-8 form; `size` 0 when `bytes` does
// not start with a valid one (a stray or missing continuation byte, an
// overlong form, a surrogate, beyond U+10FFFF).
struct CodePoint {
  char32_t value = 0;
  std::size_t size = 0;
};

// The code point `bytes` (not empty) starts with.
CodePoint first_code_point(std::string_view bytes);

// Appends `byte` as `\xNN`, two lowercase hex digits.
void append_hex_byte(std::string& out, unsigned char byte);

// `bytes` as a terminal can show them: valid, printable UTF-8 as it is;
// a backslash, control characters and bytes that are not valid UTF-8 as
// `\\`, `\n`, `\t`, `\xNN`.
std::string escaped_for_display(std::string_view bytes);

// `bytes` as valid UTF-8: each byte that does not belong to a well-formed
// sequence (RFC 3629: no overlong form, no surrogate, nothing past
// U+10FFFF) is replaced by U+FFFD; the rest is kept as it is.
std::string valid_utf8(std::string_view bytes);

// How many columns `text` (valid UTF-8) takes: one per code point.
std::size_t display_width(std::string_view text);

// `text` (valid UTF-8) in at most `width` columns: as it is when it fits,
// else its end after "…" (a path's end tells most).
std::string cut_to_width(std::string_view text, std::size_t width);

// A part of a job name made from an input: bytes that a name cannot hold
// become '_', and at most `max` bytes are kept (fanout(1), JOB FILE).
std::string name_label(std::string_view input, std::size_t max);

} // namespace fanout
