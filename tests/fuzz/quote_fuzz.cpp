// SPDX-License-Identifier: MIT
// libFuzzer target for shell quoting and templates. A quoted value, read
// back by the strict POSIX sh word reader below, must be exactly one word
// equal to the value; any template text must parse without a crash, and its
// problems point at a '{'; a template of placeholders between blanks,
// expanded with shell quoting, must read back one word per value; a template
// with placeholders in quotes of its own must read back as its text with
// the values put in byte for byte. A failed check aborts, which libFuzzer
// reports as a crash.
#include "inputs/shell_quote.hpp"
#include "inputs/template.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using fanout::PlaceholderSet;
using fanout::Template;

void require(bool holds, const char* what)
{
  if (!holds) {
    std::fprintf(stderr, "quote_fuzz: %s\n", what);
    std::abort();
  }
}

// Bytes that are themselves to the shell wherever they stand unquoted.
// Everything else unquoted (expansions, operators, globs, '~', '#', '=',
// '%', braces, non-ASCII) is taken as a failure of the quoting.
bool is_plain(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("_./:@+,-").find(c) != std::string_view::npos;
}

bool is_reserved_word(std::string_view word)
{
  constexpr std::string_view k_words[] = {"case",   "coproc", "do",   "done",     "elif", "else",
                                          "esac",   "fi",     "for",  "function", "if",   "in",
                                          "select", "then",   "time", "until",    "while"};
  return std::find(std::begin(k_words), std::end(k_words), word) != std::end(k_words);
}

// A run of a command's bytes, or a value put in: bytes that must reach
// the command as they are, whatever the quotes around.
struct Segment {
  std::string_view bytes;
  bool is_value = false;
};

// The words /bin/sh makes of a command, and whether a quote is left open
// (it then runs to the end).
struct Words {
  std::vector<std::string> words;
  bool open = false;
  bool operator==(const Words&) const = default;
};

// The words /bin/sh makes of `segments` when nothing in them is expanded or
// run; nullopt when something would be. A value goes into the word at hand
// as it is (a backslash just before it stays a backslash; in a comment it
// is not read).
std::optional<Words> shell_words(const std::vector<Segment>& segments)
{
  enum class Quote { none, single, dbl, comment };
  Quote quote = Quote::none;
  bool escaped = false;
  Words read;
  std::string word;
  bool in_word = false; // '' alone is a word
  bool quoted = false;  // a reserved word counts only unquoted
  const auto end_word = [&] {
    if (in_word) {
      if (!quoted && is_reserved_word(word)) {
        return false;
      }
      read.words.push_back(word);
    }
    word.clear();
    in_word = quoted = false;
    return true;
  };
  // Reads byte `c`; false when sh would expand or run something.
  const auto read_byte = [&](char c) {
    if (quote == Quote::comment) {
      if (c == '\n') {
        quote = Quote::none;
      }
    } else if (std::exchange(escaped, false)) {
      // A backslash and a newline are taken out; in double quotes a
      // backslash escapes only $ ` " \.
      if (c != '\n') {
        if (quote == Quote::dbl && std::string_view("$`\"\\").find(c) == std::string_view::npos) {
          word += '\\';
        }
        word += c;
        in_word = quoted = true;
      }
    } else if (quote == Quote::single) {
      if (c == '\'') {
        quote = Quote::none;
      } else {
        word += c;
      }
    } else if (c == '\\') {
      escaped = true;
    } else if (quote == Quote::dbl) {
      if (c == '$' || c == '`') {
        return false;
      }
      if (c == '"') {
        quote = Quote::none;
      } else {
        word += c;
      }
    } else if (c == ' ' || c == '\t' || c == '\n') {
      return end_word();
    } else if (c == '\'' || c == '"') {
      quote = c == '\'' ? Quote::single : Quote::dbl;
      in_word = quoted = true;
    } else if (c == '#' && !in_word) {
      quote = Quote::comment;
    } else if (is_plain(c) || c == '#') {
      word += c;
      in_word = true;
    } else {
      return false;
    }
    return true;
  };
  for (const Segment& segment : segments) {
    if (!segment.is_value) {
      if (!std::all_of(segment.bytes.begin(), segment.bytes.end(), read_byte)) {
        return std::nullopt;
      }
    } else if (quote != Quote::comment) {
      if (std::exchange(escaped, false)) {
        word += '\\';
      }
      word += segment.bytes;
      in_word = quoted = true;
    }
  }
  if (std::exchange(escaped, false)) {
    word += '\\';
    in_word = true;
  }
  read.open = quote == Quote::single || quote == Quote::dbl;
  if (!end_word()) {
    return std::nullopt;
  }
  return read;
}

// The words of `script` when its quotes all close and nothing in it is
// expanded or run; else nullopt.
std::optional<std::vector<std::string>> closed_words(std::string_view script)
{
  const auto read = shell_words({{script}});
  if (!read || read->open) {
    return std::nullopt;
  }
  return read->words;
}

void check_quoting(std::string_view value)
{
  const std::string quoted = fanout::shell_quoted(value);
  const auto words = closed_words(quoted);
  require(words.has_value(), "a quoted value is more than a word to sh");
  require(words->size() == 1 && words->front() == value, "a quoted value reads back otherwise");
  std::string appended = "x ";
  fanout::append_shell_quoted(appended, value);
  require(appended == "x " + quoted, "append_shell_quoted differs from shell_quoted");
}

PlaceholderSet placeholders_from(FuzzedDataProvider& data)
{
  PlaceholderSet placeholders;
  placeholders.count = data.ConsumeIntegralInRange<std::size_t>(1, 3);
  if (data.ConsumeBool()) {
    constexpr const char* k_keys[] = {"py", "os_2", "a-b"};
    placeholders.keys.assign(std::begin(k_keys), std::begin(k_keys) + placeholders.count);
  }
  return placeholders;
}

fanout::InputValues values_from(FuzzedDataProvider& data, std::size_t count)
{
  fanout::InputValues input;
  for (std::size_t i = 0; i < count; ++i) {
    input.values.push_back(data.ConsumeRandomLengthString(64));
  }
  input.seq = data.ConsumeIntegral<std::uint64_t>();
  input.slot = data.ConsumeIntegral<std::size_t>();
  return input;
}

// The modifiers of a placeholder: {}, {.}, {/}, {//}, {/.}.
constexpr std::string_view k_parts[] = {"", ".", "/", "//", "/."};

// The placeholder of source `source` with modifier `part`: {2.}, {py/}.
std::string source_placeholder(const PlaceholderSet& placeholders, std::size_t source,
                               std::string_view part)
{
  const auto& keys = placeholders.keys;
  return "{" + (keys.empty() ? std::to_string(source + 1) : keys[source]) + std::string(part) + "}";
}

// Any text: a problem points at a '{'; else expansion works either way.
void check_any_template(FuzzedDataProvider& data)
{
  const PlaceholderSet placeholders = placeholders_from(data);
  const std::string text = data.ConsumeRandomLengthString(256);
  const fanout::InputValues input = values_from(data, placeholders.count);
  if (const auto problem = fanout::find_template_problem(text, placeholders)) {
    require(problem->offset < text.size() && text[problem->offset] == '{',
            "a problem's offset is not at a '{'");
    require(!problem->message.empty(), "a problem without a message");
    return;
  }
  const Template parsed(text, placeholders);
  std::string out = "prefix";
  parsed.expand_into(out, input, Template::Quoting::shell);
  require(out == "prefix" + parsed.expand(input, Template::Quoting::shell),
          "expand_into differs from expand");
  const std::string plain = parsed.expand(input, Template::Quoting::none);
  std::vector<std::string> args;
  parsed.expand_args(args, input);
  require(!args.empty() && (args.size() == 1 || parsed.is_lone_value()),
          "expand_args gives several arguments for more than a lone value");
  std::string joined = args.front();
  for (std::size_t i = 1; i < args.size(); ++i) {
    joined += ' ' + args[i];
  }
  require(joined == plain, "expand_args differs from the expansion split at spaces");
}

// Placeholders between blanks, each maybe with plain text around: with
// shell quoting, a word per value, equal to the unquoted expansion.
void check_words_of_template(FuzzedDataProvider& data)
{
  const PlaceholderSet placeholders = placeholders_from(data);
  constexpr std::string_view k_around[] = {"", "x", "-", "a.b", "/"};
  std::string text;
  // What each word of the command is: one template of a single value.
  std::vector<std::string> word_templates;
  const std::size_t pieces = data.ConsumeIntegralInRange<std::size_t>(1, 6);
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::string_view part = data.PickValueInArray(k_parts);
    const auto choice = data.ConsumeIntegralInRange<std::size_t>(0, placeholders.count + 1);
    std::string piece;
    if (choice == placeholders.count) {
      piece = "{" + std::string(part) + "}"; // every value, a word each
      for (std::size_t source = 0; source < placeholders.count; ++source) {
        word_templates.push_back(source_placeholder(placeholders, source, part));
      }
    } else {
      piece = choice > placeholders.count ? (data.ConsumeBool() ? "{#}" : "{%}")
                                          : std::string(data.PickValueInArray(k_around)) +
                                              source_placeholder(placeholders, choice, part) +
                                              std::string(data.PickValueInArray(k_around));
      word_templates.push_back(piece);
    }
    require(!fanout::find_template_problem(piece, placeholders), "a generated template is wrong");
    text += (text.empty() ? "" : " ") + piece;
  }
  const fanout::InputValues input = values_from(data, placeholders.count);
  std::vector<std::string> expected;
  for (const std::string& word : word_templates) {
    expected.push_back(Template(word, placeholders).expand(input, Template::Quoting::none));
  }
  const std::string command = Template(text, placeholders).expand(input, Template::Quoting::shell);
  const auto read_back = closed_words(command);
  require(read_back.has_value(), "an expanded template is more than words to sh");
  require(*read_back == expected, "an expanded template reads back otherwise");
}

// A template of text and placeholders in random quotes of its own ('...',
// "...", backslashes, comments, quotes left open): with shell quoting, sh
// reads the words of the text with each value put in byte for byte, and
// never an unquoted $ or backquote (the text has none, so a value's).
void check_quote_contexts(FuzzedDataProvider& data)
{
  const PlaceholderSet placeholders = placeholders_from(data);
  constexpr char k_text_bytes[] = {'a', 'b', '-', ' ', '\n', '\'', '"', '\\', '#'};
  // The template's text in order: text, or placeholders of one value each
  // (a {} of several sources is one per source, a space between).
  std::vector<std::pair<std::string, bool>> parts;
  std::string text;
  const std::size_t count = data.ConsumeIntegralInRange<std::size_t>(1, 12);
  for (std::size_t i = 0; i < count; ++i) {
    std::string piece;
    if (data.ConsumeBool()) {
      const std::string_view part = data.PickValueInArray(k_parts);
      const auto choice = data.ConsumeIntegralInRange<std::size_t>(0, placeholders.count + 1);
      if (choice == placeholders.count) {
        piece = "{" + std::string(part) + "}";
        for (std::size_t source = 0; source < placeholders.count; ++source) {
          if (source > 0) {
            parts.emplace_back(" ", false);
          }
          parts.emplace_back(source_placeholder(placeholders, source, part), true);
        }
      } else {
        piece =
          choice > placeholders.count ? "{#}" : source_placeholder(placeholders, choice, part);
        parts.emplace_back(piece, choice < placeholders.count);
      }
    } else {
      const std::size_t size = data.ConsumeIntegralInRange<std::size_t>(1, 4);
      for (std::size_t j = 0; j < size; ++j) {
        piece += data.PickValueInArray(k_text_bytes);
      }
      parts.emplace_back(piece, false);
    }
    text += piece;
  }
  require(!fanout::find_template_problem(text, placeholders), "a generated template is wrong");
  const fanout::InputValues input = values_from(data, placeholders.count);
  // What sh must read: the text's bytes, each value in as it is ({#} is
  // digits of the text).
  std::vector<std::string> bytes;
  bytes.reserve(parts.size());
  std::vector<Segment> segments;
  for (const auto& [part, is_value] : parts) {
    const bool placeholder = part.starts_with('{');
    bytes.push_back(
      placeholder ? Template(part, placeholders).expand(input, Template::Quoting::none) : part);
    segments.push_back({bytes.back(), is_value});
  }
  const auto expected = shell_words(segments);
  require(expected.has_value(), "the generated text is more than words to sh");
  const std::string command = Template(text, placeholders).expand(input, Template::Quoting::shell);
  const auto read_back = shell_words({{command}});
  require(read_back.has_value(), "a value in the text's quotes is more than bytes to sh");
  require(*read_back == *expected, "a value in the text's quotes reads back otherwise");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
  if (size == 0) {
    return 0;
  }
  // The first byte picks the check; the rest feeds it.
  FuzzedDataProvider data(bytes + 1, size - 1);
  switch (bytes[0] % 4) {
  case 0:
    check_quoting(data.ConsumeRemainingBytesAsString());
    break;
  case 1:
    check_any_template(data);
    break;
  case 2:
    check_words_of_template(data);
    break;
  default:
    check_quote_contexts(data);
    break;
  }
  return 0;
}
