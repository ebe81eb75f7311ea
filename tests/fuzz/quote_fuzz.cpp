// SPDX-License-Identifier: MIT
// libFuzzer target for shell quoting and templates. A quoted value, read
// back by the strict POSIX sh word reader below, must be exactly one word
// equal to the value; any template text must parse without a crash, and its
// problems point at a '{'; a template of placeholders between blanks,
// expanded with shell quoting, must read back one word per value. A failed
// check aborts, which libFuzzer reports as a crash.
#include "inputs/input_text.hpp"
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

// The words /bin/sh makes of `script` when nothing in it is expanded or
// run; nullopt when something would be (or the quotes do not close).
std::optional<std::vector<std::string>> shell_words(std::string_view script)
{
  std::vector<std::string> words;
  std::string word;
  bool in_word = false; // '' alone is a word
  bool quoted = false;  // a reserved word counts only unquoted
  const auto end_word = [&] {
    if (in_word) {
      if (!quoted && is_reserved_word(word)) {
        return false;
      }
      words.push_back(word);
    }
    word.clear();
    in_word = quoted = false;
    return true;
  };
  std::size_t i = 0;
  while (i < script.size()) {
    const char c = script[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!end_word()) {
        return std::nullopt;
      }
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const std::size_t close = script.find('\'', i + 1);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      word.append(script.substr(i + 1, close - i - 1));
      quoted = true;
      i = close + 1;
    } else if (c == '"') {
      quoted = true;
      for (++i;; ++i) {
        if (i >= script.size() || script[i] == '$' || script[i] == '`') {
          return std::nullopt;
        }
        if (script[i] == '"') {
          ++i;
          break;
        }
        // Inside double quotes a backslash escapes only these.
        if (script[i] == '\\' && i + 1 < script.size() &&
            std::string_view("$`\"\\").find(script[i + 1]) != std::string_view::npos) {
          ++i;
        } else if (script[i] == '\\' && i + 1 < script.size() && script[i + 1] == '\n') {
          return std::nullopt;
        }
        word += script[i];
      }
    } else if (c == '\\') {
      if (i + 1 >= script.size() || script[i + 1] == '\n') {
        return std::nullopt;
      }
      word += script[i + 1];
      quoted = true;
      i += 2;
    } else if (is_plain(c)) {
      word += c;
      ++i;
    } else {
      return std::nullopt;
    }
  }
  if (!end_word()) {
    return std::nullopt;
  }
  return words;
}

void check_quoting(std::string_view value)
{
  const std::string quoted = fanout::shell_quoted(value);
  const auto words = shell_words(quoted);
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
  parsed.expand(input, Template::Quoting::none);
}

// Placeholders between blanks, each maybe with plain text around: with
// shell quoting, a word per value, equal to the unquoted expansion.
void check_words_of_template(FuzzedDataProvider& data)
{
  const PlaceholderSet placeholders = placeholders_from(data);
  constexpr std::string_view k_parts[] = {"", ".", "/", "//", "/."};
  constexpr std::string_view k_around[] = {"", "x", "-", "a.b", "/"};
  const auto source_placeholder = [&](std::size_t source, std::string_view part) {
    const auto& keys = placeholders.keys;
    return "{" + (keys.empty() ? std::to_string(source + 1) : keys[source]) + std::string(part) +
           "}";
  };
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
        word_templates.push_back(source_placeholder(source, part));
      }
    } else {
      piece = choice > placeholders.count
                ? (data.ConsumeBool() ? "{#}" : "{%}")
                : std::string(data.PickValueInArray(k_around)) + source_placeholder(choice, part) +
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
  const auto read_back = shell_words(command);
  require(read_back.has_value(), "an expanded template is more than words to sh");
  require(*read_back == expected, "an expanded template reads back otherwise");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
  if (size == 0) {
    return 0;
  }
  // The first byte picks the check; the rest feeds it.
  FuzzedDataProvider data(bytes + 1, size - 1);
  switch (bytes[0] % 3) {
  case 0:
    check_quoting(data.ConsumeRemainingBytesAsString());
    break;
  case 1:
    check_any_template(data);
    break;
  default:
    check_words_of_template(data);
    break;
  }
  return 0;
}
