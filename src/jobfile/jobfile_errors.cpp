// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_errors.hpp"

#include "edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <vector>

namespace fanout {
namespace {

constexpr std::size_t k_max_excerpt_bytes = 200;
constexpr std::size_t k_gutter_width = 5;
constexpr std::size_t k_max_quoted_bytes = 128;
constexpr std::size_t k_max_suggestion_distance = 2;
constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

bool is_continuation_byte(char c)
{
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_control_byte(char c)
{
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// Line `number` (1-based) of `text`, without its line ending, with its bytes
// lined up the way toml++ counted columns on it.
std::optional<std::string_view> line_of(std::string_view text, std::size_t number)
{
  std::size_t start = 0;
  for (std::size_t line = 1; line < number; ++line) {
    const std::size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      return std::nullopt;
    }
    start = newline + 1;
  }
  std::string_view line = text.substr(start);
  line = line.substr(0, line.find('\n'));
  // toml++ takes "\r\n" as a line ending, and skips a byte order mark at the
  // very start without counting it as a column.
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  if (number == 1 && line.starts_with(k_utf8_bom)) {
    line.remove_prefix(k_utf8_bom.size());
  }
  return line;
}

// The byte offset in `line` where code point number `column` (1-based)
// starts; one past the last code point is the end of the line.
std::optional<std::size_t> offset_of_column(std::string_view line, std::size_t column)
{
  std::size_t seen = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!is_continuation_byte(line[i]) && ++seen == column) {
      return i;
    }
  }
  if (seen + 1 == column) {
    return line.size();
  }
  return std::nullopt;
}

// What goes before the caret: one character per code point before `column`,
// a tab where the line has a tab (so the caret lines up however wide the
// terminal's tabs are), a space elsewhere.
std::string caret_indent(std::string_view line, std::size_t column)
{
  // toml++ points at most a column or two past the end of a line (at an
  // unexpected end of file); the cap keeps a bogus column from costing memory.
  const std::size_t wanted = std::min(column > 0 ? column - 1 : 0, line.size() + 2);
  std::string indent;
  for (const char c : line) {
    if (indent.size() == wanted) {
      break;
    }
    if (!is_continuation_byte(c)) {
      indent += c == '\t' ? '\t' : ' ';
    }
  }
  indent.resize(wanted, ' ');
  return indent;
}

enum class Tabs { kept, replaced };

// `text` with its control bytes shown as '?', so that neither a source line
// nor a toml++ description quoting one can upset the terminal.
std::string printable(std::string_view text, Tabs tabs)
{
  std::string out(text);
  for (char& c : out) {
    if (is_control_byte(c) && !(c == '\t' && tabs == Tabs::kept)) {
      c = '?';
    }
  }
  return out;
}

// The candidate to suggest for `word`, by the rule `did_you_mean` states.
std::optional<std::string_view> closest_word(std::string_view word,
                                             std::span<const std::string_view> candidates)
{
  std::optional<std::string_view> best;
  std::size_t best_distance = k_max_suggestion_distance + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t length_gap = word.size() > candidate.size() ? word.size() - candidate.size()
                                                                  : candidate.size() - word.size();
    // The distance is at least the length gap; skipping early also keeps a
    // huge word from costing a huge table.
    if (length_gap > k_max_suggestion_distance) {
      continue;
    }
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best && best_distance < word.size()) {
    return best;
  }
  return std::nullopt;
}

// The fanout key that `key`, a key of another tool's job files (docker
// compose, GitHub Actions, GitLab CI) or a plain word for one, stands for
// when no spelling mistake could explain it (`command` is 4 edits from `cmd`);
// empty when none clearly does. Upper and lower case count alike.
std::string_view key_meant(std::string_view key)
{
  struct Alias {
    std::string_view key;
    std::string_view meant;
  };
  // Not "shell": in GitHub Actions it names the shell (bash), not a command.
  static constexpr Alias k_aliases[] = {
    {"command", "cmd"},
    {"commands", "cmd"},
    {"run", "cmd"},
    {"script", "cmd"},
    {"depends_on", "needs"},
    {"depends", "needs"},
    {"dependencies", "needs"},
    {"workdir", "cwd"},
    {"working_dir", "cwd"},
    {"working-directory", "cwd"},
    {"dir", "cwd"},
    {"environment", "env"},
    {"variables", "env"},
    {"retry", "retries"},
  };
  const auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) == y;
    });
  };
  for (const Alias& alias : k_aliases) {
    if (same(key, alias.key)) {
      return alias.meant;
    }
  }
  return {};
}

} // namespace

std::string format_jobfile_error(std::string_view path, std::string_view text, SourcePoint where,
                                 std::string_view what)
{
  std::string message(path);
  if (where.line == 0) {
    return message + ": error: " + printable(what, Tabs::replaced);
  }
  message += ':' + std::to_string(where.line) + ':' + std::to_string(where.column) + ": error: ";
  message += printable(what, Tabs::replaced);

  const std::optional<std::string_view> line = line_of(text, where.line);
  // An empty line (say, at an unexpected end of file) would show nothing.
  if (!line || line->empty() || line->size() > k_max_excerpt_bytes) {
    return message;
  }
  const std::string number = std::to_string(where.line);
  const std::string gutter(std::max(k_gutter_width, number.size()), ' ');
  message += '\n' + gutter.substr(number.size()) + number + " | " + printable(*line, Tabs::kept);
  message += '\n' + gutter + " | " + caret_indent(*line, where.column) + '^';
  return message;
}

std::string_view source_slice(std::string_view text, SourcePoint begin, SourcePoint end)
{
  if (begin.line == 0 || begin.line != end.line || end.column < begin.column) {
    return {};
  }
  const std::optional<std::string_view> line = line_of(text, begin.line);
  if (!line) {
    return {};
  }
  const std::optional<std::size_t> from = offset_of_column(*line, begin.column);
  const std::optional<std::size_t> to = offset_of_column(*line, end.column);
  if (!from || !to) {
    return {};
  }
  return line->substr(*from, *to - *from);
}

std::optional<std::size_t> offset_of(std::string_view text, SourcePoint where)
{
  const std::optional<std::string_view> line = line_of(text, where.line);
  if (where.line == 0 || !line) {
    return std::nullopt;
  }
  const std::optional<std::size_t> column = offset_of_column(*line, where.column);
  if (!column) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(line->data() - text.data()) + *column;
}

std::string quote_for_message(std::string_view text)
{
  const bool is_cut = text.size() > k_max_quoted_bytes;
  if (is_cut) {
    std::size_t end = k_max_quoted_bytes;
    while (end > 0 && is_continuation_byte(text[end])) {
      --end;
    }
    text = text.substr(0, end);
  }
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (is_control_byte(c)) {
        constexpr std::string_view k_hex = "0123456789ABCDEF";
        const auto byte = static_cast<unsigned char>(c);
        out += "\\u00";
        out += k_hex[byte >> 4];
        out += k_hex[byte & 0xF];
      } else {
        out += c;
      }
    }
  }
  if (is_cut) {
    out += "...";
  }
  out += '"';
  return out;
}

std::string key_for_message(std::string_view key)
{
  const bool is_bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return is_bare ? std::string(key) : quote_for_message(key);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates)
{
  if (const std::optional<std::string_view> suggestion = closest_word(word, candidates)) {
    return " (did you mean " + quote_for_message(*suggestion) + "?)";
  }
  return {};
}

std::string unknown_key_message(std::string_view key, std::span<const std::string_view> candidates)
{
  const std::string_view meant = key_meant(key);
  if (std::find(candidates.begin(), candidates.end(), meant) != candidates.end()) {
    return "unknown key " + quote_for_message(key) + " (did you mean " + quote_for_message(meant) +
           "?)";
  }
  return "unknown key " + quote_for_message(key) + did_you_mean(key, candidates);
}

} // namespace fanout
