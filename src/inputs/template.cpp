// SPDX-License-Identifier: MIT
#include "inputs/template.hpp"

#include "inputs/shell_quote.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

namespace fanout {
namespace {

constexpr std::string_view k_modifiers[] = {"//", "/.", "/", ".", ""};

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

bool is_name_start(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_digits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// The shape of a matrix key as a bare TOML key: `{foo}` is then meant as a
// placeholder, and a wrong one is an error rather than text.
bool is_name(std::string_view text)
{
  return !text.empty() && is_name_start(text.front()) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return is_name_start(c) || is_digit(c) || c == '-'; });
}

// A source number as written, saturating: `{99999999999999999999}` is only
// out of range.
std::size_t number_of(std::string_view digits)
{
  std::size_t n = 0;
  for (char c : digits) {
    const auto digit = static_cast<std::size_t>(c - '0');
    if (n > (std::numeric_limits<std::size_t>::max() - digit) / 10) {
      return std::numeric_limits<std::size_t>::max();
    }
    n = n * 10 + digit;
  }
  return n;
}

std::string known_placeholders(const PlaceholderSet& placeholders)
{
  std::string list;
  for (const std::string& key : placeholders.keys) {
    list += list.empty() ? "{" : ", {";
    list += key;
    list += '}';
  }
  return list;
}

std::string unknown_placeholder(std::string_view placeholder, const PlaceholderSet& placeholders)
{
  std::string message = "unknown placeholder ";
  message += placeholder;
  if (!placeholders.keys.empty()) {
    message += "; this group has " + known_placeholders(placeholders);
  }
  return message;
}

// Without trailing slashes, but "/" stays "/".
std::string_view without_trailing_slashes(std::string_view path)
{
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  return path;
}

// GNU parallel's {/}: what follows the last '/'.
std::string_view basename_of(std::string_view value)
{
  const std::size_t slash = value.rfind('/');
  return slash == std::string_view::npos ? value : value.substr(slash + 1);
}

// GNU parallel's {.}: without a last ".ext" that holds no '/' ("x.tar.gz"
// gives "x.tar", ".bashrc" gives "", "a/b.c/d" stays).
std::string_view stem_of(std::string_view value)
{
  const std::size_t dot = value.rfind('.');
  if (dot == std::string_view::npos || value.find('/', dot) != std::string_view::npos) {
    return value;
  }
  return value.substr(0, dot);
}

// GNU parallel's {//}, Perl's File::Basename::dirname: trailing slashes do not
// count, "." when there is no '/', and the folder's own trailing slashes go
// ("a//b" gives "a", "dir/" gives ".", "/x" gives "/").
std::string_view dirname_of(std::string_view value)
{
  const std::string_view path = without_trailing_slashes(value);
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return ".";
  }
  return without_trailing_slashes(path.substr(0, slash + 1));
}

template <typename Integer> void append_number(std::string& out, Integer n)
{
  char digits[std::numeric_limits<Integer>::digits10 + 2];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), n).ptr;
  out.append(digits, end);
}

} // namespace

std::optional<TemplateProblem> Template::parse(std::string_view text,
                                               const PlaceholderSet& placeholders,
                                               std::vector<Piece>& pieces)
{
  std::size_t text_begin = 0;
  // The text read as a command, up to the placeholder at hand.
  ShellReader shell;
  const auto add = [&](std::size_t open, std::size_t close, Piece placeholder) {
    if (open > text_begin) {
      pieces.push_back({Piece::Kind::text, Piece::Part::whole, 0, text_begin, open - text_begin});
      shell.read(text.substr(text_begin, open - text_begin));
    }
    if (placeholder.kind == Piece::Kind::value) {
      placeholder.spot = shell.put_value();
    } else {
      shell.read("0"); // {#} and {%} are digits
    }
    pieces.push_back(placeholder);
    text_begin = close + 1;
  };
  const auto problem = [](std::size_t open, std::string message) {
    return std::optional<TemplateProblem>{TemplateProblem{open, std::move(message)}};
  };

  std::size_t open = text.find('{');
  for (; open != std::string_view::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) {
      break;
    }
    if (open > 0 && text[open - 1] == '$') {
      continue; // ${HOME}: the shell's
    }
    const std::string_view whole = text.substr(open, close - open + 1);
    const std::string_view inner = whole.substr(1, whole.size() - 2);
    if (inner == "#" || inner == "%") {
      add(open, close, {inner == "#" ? Piece::Kind::seq : Piece::Kind::slot});
      continue;
    }
    // The selector before a modifier: "" (every source), digits, a key or a
    // name; anything else is text.
    for (std::size_t m = 0; m < std::size(k_modifiers); ++m) {
      const std::string_view modifier = k_modifiers[m];
      if (inner.size() < modifier.size() || !inner.ends_with(modifier)) {
        continue;
      }
      const std::string_view selector = inner.substr(0, inner.size() - modifier.size());
      const auto& keys = placeholders.keys;
      const auto key = std::find(keys.begin(), keys.end(), selector);
      std::size_t source = Piece::k_every_source;
      if (key != keys.end() && !selector.empty()) {
        source = static_cast<std::size_t>(key - keys.begin());
      } else if (is_name(selector) || (is_digits(selector) && !keys.empty())) {
        return problem(open, unknown_placeholder(whole, placeholders));
      } else if (is_digits(selector)) {
        const std::size_t number = number_of(selector);
        if (number == 0) {
          return problem(open, std::string(whole) + ": input sources are numbered from 1");
        }
        if (number > placeholders.count) {
          const bool one = placeholders.count == 1;
          return problem(open, std::string(whole) + ": there " + (one ? "is" : "are") + " only " +
                                 std::to_string(placeholders.count) + " input source" +
                                 (one ? "" : "s"));
        }
        source = number - 1;
      } else if (!selector.empty()) {
        continue;
      }
      // k_modifiers and Piece::Part list the parts in the same order.
      constexpr Piece::Part k_parts[] = {Piece::Part::dirname, Piece::Part::basename_stem,
                                         Piece::Part::basename, Piece::Part::stem,
                                         Piece::Part::whole};
      add(open, close, {Piece::Kind::value, k_parts[m], source});
      break;
    }
  }
  if (text_begin < text.size()) {
    pieces.push_back(
      {Piece::Kind::text, Piece::Part::whole, 0, text_begin, text.size() - text_begin});
  }
  return std::nullopt;
}

std::optional<TemplateProblem> find_template_problem(std::string_view text,
                                                     const PlaceholderSet& placeholders)
{
  std::vector<Template::Piece> pieces;
  return Template::parse(text, placeholders, pieces);
}

std::optional<TemplateProblem> find_shell_template_problem(std::string_view text,
                                                           const PlaceholderSet& placeholders)
{
  std::vector<Template::Piece> pieces;
  if (auto problem = Template::parse(text, placeholders, pieces)) {
    return problem;
  }
  const std::size_t here = text.find("<<");
  if (here == std::string_view::npos) {
    return std::nullopt;
  }
  // Pieces follow each other: a value starts where the text before it ends.
  std::size_t offset = 0;
  for (const Template::Piece& piece : pieces) {
    if (piece.kind == Template::Piece::Kind::text) {
      offset = piece.begin + piece.size;
    } else if (piece.kind == Template::Piece::Kind::value && offset > here) {
      return TemplateProblem{offset, "a value after a here-document (<<) cannot be quoted for it; "
                                     "give it on stdin instead: printf '%s\\n' {} | ..."};
    }
  }
  return std::nullopt;
}

Template::Template(std::string_view text, const PlaceholderSet& placeholders) : m_text(text)
{
  [[maybe_unused]] const auto problem = parse(m_text, placeholders, m_pieces);
  assert(!problem);
}

bool Template::has_piece(Piece::Kind kind) const
{
  return std::any_of(m_pieces.begin(), m_pieces.end(),
                     [kind](const Piece& piece) { return piece.kind == kind; });
}

bool Template::uses_input() const
{
  return has_piece(Piece::Kind::value);
}

bool Template::uses_seq() const
{
  return has_piece(Piece::Kind::seq);
}

bool Template::is_lone_value() const
{
  return m_pieces.size() == 1 && m_pieces.front().kind == Piece::Kind::value;
}

std::string_view Template::part_of(std::string_view value, Piece::Part part)
{
  switch (part) {
  case Piece::Part::whole:
    break;
  case Piece::Part::stem:
    return stem_of(value);
  case Piece::Part::basename:
    return basename_of(value);
  case Piece::Part::dirname:
    return dirname_of(value);
  case Piece::Part::basename_stem:
    return stem_of(basename_of(value));
  }
  return value;
}

void Template::expand_into(std::string& out, const InputValues& input, Quoting quoting) const
{
  const auto append_value = [&](const Piece& piece, std::string_view value) {
    value = part_of(value, piece.part);
    if (quoting == Quoting::shell) {
      append_shell_quoted(out, value, piece.spot);
    } else {
      out += value;
    }
  };

  for (const Piece& piece : m_pieces) {
    switch (piece.kind) {
    case Piece::Kind::text:
      out.append(m_text, piece.begin, piece.size);
      break;
    case Piece::Kind::seq:
      append_number(out, input.seq);
      break;
    case Piece::Kind::slot:
      append_number(out, input.slot);
      break;
    case Piece::Kind::value:
      if (quoting == Quoting::shell) {
        out.append(piece.spot.backslashes, '\\');
      }
      if (piece.source != Piece::k_every_source) {
        assert(piece.source < input.values.size());
        append_value(piece, input.values[piece.source]);
        break;
      }
      // GNU parallel's {} with several sources: every value, joined by spaces.
      for (std::size_t i = 0; i < input.values.size(); ++i) {
        if (i > 0) {
          out += ' ';
        }
        append_value(piece, input.values[i]);
      }
      break;
    }
  }
}

std::string Template::expand(const InputValues& input, Quoting quoting) const
{
  std::string out;
  expand_into(out, input, quoting);
  return out;
}

void Template::expand_args(std::vector<std::string>& out, const InputValues& input) const
{
  if (!is_lone_value()) {
    out.push_back(expand(input, Quoting::none));
    return;
  }
  const Piece& piece = m_pieces.front();
  if (piece.source != Piece::k_every_source) {
    assert(piece.source < input.values.size());
    out.emplace_back(part_of(input.values[piece.source], piece.part));
    return;
  }
  for (const std::string& value : input.values) {
    out.emplace_back(part_of(value, piece.part));
  }
}

} // namespace fanout
