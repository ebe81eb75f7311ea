// SPDX-License-Identifier: MIT
#include "report/xml_text.hpp"

#include "inputs/input_text.hpp"

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

// How many bytes at the start of `bytes` (not empty) make one character
// that XML 1.0 allows, in valid UTF-8; 0 when its first byte makes none.
std::size_t xml_char_length(std::string_view bytes)
{
  const CodePoint c = first_code_point(bytes);
  const bool allowed = c.value >= 0x20 || c.value == '\t' || c.value == '\n' || c.value == '\r';
  // U+FFFE and U+FFFF are UTF-8 but not XML characters.
  return allowed && c.value != 0xfffe && c.value != 0xffff ? c.size : 0;
}

} // namespace

void append_xml(std::string& out, std::string_view bytes, XmlPlace place)
{
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (const std::string_view reference = reference_for(bytes[i], place); !reference.empty()) {
      out.append(reference);
      ++i;
    } else if (const std::size_t length = xml_char_length(bytes.substr(i)); length > 0) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      append_hex_byte(out, static_cast<unsigned char>(bytes[i]));
      ++i;
    }
  }
}

} // namespace fanout
