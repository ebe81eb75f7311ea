// SPDX-License-Identifier: MIT
#include "inputs/shell_quote.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace fanout {
namespace {

bool is_ascii_alnum(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Characters no POSIX shell gives a meaning to anywhere in a word. Left out
// on purpose: '=' (`a=b` first in a command is an assignment), '~' (tilde
// expansion), '%' (job specs), '#' (a comment at a word's start), '!', '^',
// braces, brackets and anything not ASCII.
bool is_shell_safe(unsigned char c)
{
  return is_ascii_alnum(c) || c == '_' || c == '.' || c == '/' || c == ':' || c == '@' ||
         c == '+' || c == ',' || c == '-';
}

// Words that mean something unquoted in a command's first position, and are
// made of safe characters only.
bool is_reserved_word(std::string_view word)
{
  constexpr std::string_view k_words[] = {"case",   "coproc", "do",   "done",     "elif", "else",
                                          "esac",   "fi",     "for",  "function", "if",   "in",
                                          "select", "then",   "time", "until",    "while"};
  return std::find(std::begin(k_words), std::end(k_words), word) != std::end(k_words);
}

// Hands `put` the bytes of `value` written inside single quotes: every byte
// is itself there; a quote closes them, is put in escaped, and opens them again.
template <typename Put> void put_in_single_quotes(std::string_view value, Put put)
{
  for (char c : value) {
    if (c == '\'') {
      put('\'');
      put('\\');
      put('\'');
    }
    put(c);
  }
}

// Hands `put` the bytes of `shell_quoted(value)`, one at a time.
template <typename Put> void put_shell_quoted(std::string_view value, Put put)
{
  const bool plain = !value.empty() && !is_reserved_word(value) &&
                     std::all_of(value.begin(), value.end(), [](char c) {
                       return is_shell_safe(static_cast<unsigned char>(c));
                     });
  if (plain) {
    std::for_each(value.begin(), value.end(), put);
    return;
  }
  put('\'');
  put_in_single_quotes(value, put);
  put('\'');
}

// Appends byte `c` as the innermost of `depth` backquoted commands of `spot`
// reads it: each of those takes a backslash off the bytes it escapes.
void append_backquoted(std::string& out, char c, const ShellSpot& spot, std::size_t depth)
{
  if (depth == 0) {
    out += c;
    return;
  }
  const bool in_double = ((spot.backquotes_in_double >> (depth - 1)) & 1) != 0;
  if (c == '\\' || c == '`' || c == '$' || (c == '"' && in_double)) {
    append_backquoted(out, '\\', spot, depth - 1);
  }
  append_backquoted(out, c, spot, depth - 1);
}

// Bytes that end a word outside quotes: blanks and operators.
bool ends_word(char c)
{
  return std::string_view(" \t\n;&|<>()").find(c) != std::string_view::npos;
}

} // namespace

void append_shell_quoted(std::string& out, std::string_view value)
{
  put_shell_quoted(value, [&](char c) { out += c; });
}

void append_shell_quoted(std::string& out, std::string_view value, const ShellSpot& spot)
{
  using Quote = ShellSpot::Quote;
  const auto put = [&](char c) { append_backquoted(out, c, spot, spot.backquotes); };
  switch (spot.quote) {
  case Quote::none:
    put_shell_quoted(value, put);
    break;
  case Quote::single:
    put_in_single_quotes(value, put);
    break;
  case Quote::dbl:
  case Quote::parameter:
    for (char c : value) {
      if (c == '$' || c == '`' || c == '"' || c == '\\' ||
          (c == '}' && spot.quote == Quote::parameter)) {
        put('\\');
      }
      put(c);
    }
    break;
  case Quote::comment:
    for (char c : value) {
      put(c == '\n' ? ' ' : c);
    }
    break;
  }
}

ShellReader::ShellReader() : m_levels(1)
{
}

void ShellReader::read(std::string_view text)
{
  for (char c : text) {
    read_byte(0, c);
  }
}

ShellSpot ShellReader::put_value()
{
  using Kind = Frame::Kind;
  ShellSpot spot;
  // Each backslash escapes the one before it, in every backquoted command.
  for (; pending(); ++spot.backslashes) {
    read_byte(0, '\\');
  }
  Level& level = m_levels.back();
  Frame& frame = level.frames.back();
  if (level.comment) {
    spot.quote = ShellSpot::Quote::comment;
  } else if (frame.kind == Kind::single) {
    spot.quote = ShellSpot::Quote::single;
  } else if (frame.kind == Kind::dbl) {
    spot.quote = ShellSpot::Quote::dbl;
  } else if (frame.kind == Kind::parameter && frame.in_double && !frame.pattern) {
    spot.quote = ShellSpot::Quote::parameter;
  }
  // A backquoted command takes twice the bytes of the one it is in to
  // open (its backquote escaped), so no text reaches 64 of them.
  assert(m_levels.size() <= 64);
  spot.backquotes = static_cast<std::uint8_t>(m_levels.size() - 1);
  for (std::size_t i = 1; i < m_levels.size(); ++i) {
    if (m_levels[i].in_double) {
      spot.backquotes_in_double |= std::uint64_t{1} << (i - 1);
    }
  }
  level.in_word = true;
  frame.named = true; // in a ${...}'s name, the value is of it
  return spot;
}

bool ShellReader::pending() const
{
  const Level& innermost = m_levels.back();
  return innermost.escaped || innermost.dollar ||
         std::any_of(m_levels.begin() + 1, m_levels.end(),
                     [](const Level& level) { return level.layer_escaped; });
}

void ShellReader::read_backquoted(std::size_t index, char c)
{
  Level& level = m_levels[index];
  if (std::exchange(level.layer_escaped, false)) {
    const bool taken_off = c == '\\' || c == '`' || c == '$' || (c == '"' && level.in_double);
    if (!taken_off) {
      read_byte(index, '\\');
    }
    read_byte(index, c);
  } else if (c == '\\') {
    level.layer_escaped = true;
  } else if (c == '`') {
    m_levels.resize(index);
  } else {
    read_byte(index, c);
  }
}

void ShellReader::read_parameter_name(Level& level, char c)
{
  Frame& frame = level.frames.back();
  if (c == '}') {
    level.frames.pop_back();
  } else if (!frame.named || is_ascii_alnum(static_cast<unsigned char>(c)) || c == '_' ||
             c == ':') {
    frame.named = true;
  } else {
    frame.operated = true;
    frame.pattern = c == '#' || c == '%';
  }
}

void ShellReader::read_byte(std::size_t index, char c)
{
  using Kind = Frame::Kind;
  if (index + 1 < m_levels.size()) {
    read_backquoted(index + 1, c);
    return;
  }
  Level& level = m_levels[index];
  if (level.comment) {
    // A newline ends the comment, and the word a value in it began.
    level.comment = c != '\n';
    level.in_word = level.in_word && level.comment;
    return;
  }
  if (std::exchange(level.escaped, false)) {
    // A backslash and a newline are taken out; any other byte is a word's.
    level.in_word = level.in_word || c != '\n';
    return;
  }
  const bool dollar = std::exchange(level.dollar, false);
  const Frame frame = level.frames.back();
  // In double quotes, or in the word of a ${x-...} in them.
  const bool in_double =
    frame.kind == Kind::dbl || (frame.kind == Kind::parameter && frame.in_double && !frame.pattern);
  if (frame.kind == Kind::single) {
    if (c == '\'') {
      level.frames.pop_back();
    }
    return;
  }
  if (dollar && (c == '(' || c == '{')) {
    level.frames.push_back(c == '(' ? Frame{Kind::substitution}
                                    : Frame{Kind::parameter, in_double});
    level.in_word = c == '{'; // $( starts a command
    return;
  }
  if (frame.kind == Kind::parameter && !frame.operated) {
    read_parameter_name(level, c);
    return;
  }
  if (c == '\\') {
    level.escaped = true;
    return;
  }
  if (c == '$' || c == '"' || c == '`' || (c == '}' && frame.kind == Kind::parameter) ||
      (c == '\'' && !in_double)) {
    level.in_word = true;
    level.dollar = c == '$';
    if (c == '"' && frame.kind == Kind::dbl) {
      level.frames.pop_back();
    } else if (c == '"' || c == '\'') {
      level.frames.push_back({c == '"' ? Kind::dbl : Kind::single});
    } else if (c == '}') {
      level.frames.pop_back();
    } else if (c == '`') {
      m_levels.push_back({});
      m_levels.back().in_double = in_double;
    }
    return;
  }
  if (in_double || frame.kind == Kind::parameter) {
    return;
  }
  if (c == '#' && !level.in_word) {
    level.comment = true;
    return;
  }
  if (c == '(') {
    level.frames.push_back({Kind::subshell});
  } else if (c == ')' && (frame.kind == Kind::subshell || frame.kind == Kind::substitution)) {
    level.frames.pop_back();
  }
  // A $(...) goes on with its word; a (...) is an operator.
  level.in_word = !ends_word(c) || (c == ')' && frame.kind == Kind::substitution);
}

std::string shell_quoted(std::string_view value)
{
  std::string out;
  append_shell_quoted(out, value);
  return out;
}

} // namespace fanout
