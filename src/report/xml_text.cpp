// SPDX-License-Identifier: MIT
#include "report/xml_text.hpp"

#include <array>

namespace fanout {

namespace {

// The reference that stands for the ASCII character `c` in `place`, or
// nothing when `c` stands for itself (or is no character XML allows).
std::string_view reference_for(char c, XmlPlace place)
{
  const bool attribute = place == XmlPlace::attribute;
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  case '\'':
    return "&apos;";
  case '\r':
    return "&#13;";
  case '\t':
    return attribute ? "&#9;" : "";
  case '\n':
    return attribute ? "&#10;" : "";
  default:
    return "";
  }
}

// A lead byte of UTF-8 past ASCII: how long its sequence is and the range
// of its second byte, which rules out overlong forms, surrogates and code
// points past U+10FFFF (the Unicode standard's table of well-formed
// sequences).
struct Lead {
  unsigned char first, last; // the lead bytes this row covers
  std::size_t length;
  unsigned char low, high; // the second byte's range
};

constexpr std::array<Lead, 8> k_leads = {{
  {0xc2, 0xdf, 2, 0x80, 0xbf},
  {0xe0, 0xe0, 3, 0xa0, 0xbf},
  {0xe1, 0xec, 3, 0x80, 0xbf},
  {0xed, 0xed, 3, 0x80, 0x9f},
  {0xee, 0xef, 3, 0x80, 0xbf},
  {0xf0, 0xf0, 4, 0x90, 0xbf},
  {0xf1, 0xf3, 4, 0x80, 0xbf},
  {0xf4, 0xf4, 4, 0x80, 0x8f},
}};

// How many bytes at the start of `bytes` (not empty) make one character
// that XML 1.0 allows, in valid UTF-8; 0 when its first byte makes none.
std::size_t xml_char_length(std::string_view bytes)
{
  const auto at = [bytes](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = at(0);
  if (lead < 0x80) {
    return lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r' ? 1 : 0;
  }
  for (const Lead& row : k_leads) {
    if (lead < row.first || lead > row.last) {
      continue;
    }
    if (bytes.size() < row.length || at(1) < row.low || at(1) > row.high) {
      return 0;
    }
    for (std::size_t i = 2; i < row.length; ++i) {
      if ((at(i) & 0xc0) != 0x80) {
        return 0;
      }
    }
    // U+FFFE and U+FFFF are UTF-8 but not XML characters.
    const bool non_character = lead == 0xef && at(1) == 0xbf && at(2) >= 0xbe;
    return non_character ? 0 : row.length;
  }
  return 0;
}

} // namespace

void append_xml(std::string& out, std::string_view bytes, XmlPlace place)
{
  constexpr std::string_view k_hex = "0123456789abcdef";
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (const std::string_view reference = reference_for(bytes[i], place); !reference.empty()) {
      out.append(reference);
      ++i;
    } else if (const std::size_t length = xml_char_length(bytes.substr(i)); length > 0) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      const auto byte = static_cast<unsigned char>(bytes[i]);
      out.append("\\x").push_back(k_hex[byte >> 4]);
      out.push_back(k_hex[byte & 0xf]);
      ++i;
    }
  }
}

} // namespace fanout
