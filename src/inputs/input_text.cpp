// SPDX-License-Identifier: MIT
#include "inputs/input_text.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace fanout {
namespace {

// Code points a terminal acts on rather than shows: C1 controls (some
// terminals read U+009B as an escape sequence) and the bidirectional
// controls that make text read otherwise than its bytes go.
bool is_hidden_control(char32_t c)
{
  return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

bool is_continuation_byte(char c)
{
  return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

bool is_name_byte(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == ':' || c == '+' || c == '@';
}

} // namespace

CodePoint first_code_point(std::string_view bytes)
{
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t size = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xe0) == 0xc0) {
    size = 2, value = lead & 0x1f, minimum = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    size = 3, value = lead & 0x0f, minimum = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    size = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return {};
  }
  if (bytes.size() < size) {
    return {};
  }
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return {};
    }
    value = (value << 6) | (byte(i) & 0x3f);
  }
  if (value < minimum || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    return {};
  }
  return {value, size};
}

void append_hex_byte(std::string& out, unsigned char byte)
{
  constexpr char k_hex[] = "0123456789abcdef";
  out += "\\x";
  out += k_hex[byte >> 4];
  out += k_hex[byte & 0x0f];
}

std::string escaped_for_display(std::string_view bytes)
{
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const CodePoint code_point = first_code_point(bytes);
    const std::size_t size = std::max<std::size_t>(code_point.size, 1);
    const char32_t c = code_point.value;
    if (code_point.size == 0 || c < 0x20 || c == 0x7f || is_hidden_control(c)) {
      for (std::size_t i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        if (byte == '\n') {
          out += "\\n";
        } else if (byte == '\t') {
          out += "\\t";
        } else if (byte == '\r') {
          out += "\\r";
        } else {
          append_hex_byte(out, byte);
        }
      }
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += bytes.substr(0, size);
    }
    bytes.remove_prefix(size);
  }
  return out;
}

std::string valid_utf8(std::string_view bytes)
{
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const std::size_t size = first_code_point(bytes).size;
    out += size == 0 ? std::string_view("\uFFFD") : bytes.substr(0, size);
    bytes.remove_prefix(std::max<std::size_t>(size, 1));
  }
  return out;
}

std::size_t display_width(std::string_view text)
{
  return static_cast<std::size_t>(
    std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string cut_to_width(std::string_view text, std::size_t width)
{
  if (display_width(text) <= width) {
    return std::string(text);
  }
  if (width == 0) {
    return {};
  }
  // Keep the last width - 1 code points, after the ellipsis.
  std::size_t begin = text.size();
  for (std::size_t kept = 0; kept < width - 1; ++kept) {
    do {
      --begin;
    } while (begin > 0 && is_continuation_byte(text[begin]));
  }
  return "\u2026" + std::string(text.substr(begin));
}

std::string name_label(std::string_view input, std::size_t max)
{
  std::string label;
  while (!input.empty() && label.size() < max) {
    const auto byte = static_cast<unsigned char>(input.front());
    label += is_name_byte(byte) ? static_cast<char>(byte) : '_';
    // A whole UTF-8 character becomes one '_'; a byte that starts none, one.
    input.remove_prefix(std::max<std::size_t>(first_code_point(input).size, 1));
  }
  return label;
}

} // namespace fanout
