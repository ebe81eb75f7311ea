// SPDX-License-Identifier: MIT
#include "cli/option_parser.hpp"

#include "cli/usage_error.hpp"
#include "edit_distance.hpp"

#include <algorithm>

namespace fanout {

namespace {

constexpr std::string_view k_help = "help";
constexpr std::string_view k_version = "version";
constexpr std::size_t k_help_width = 79;
constexpr std::size_t k_widest_names = 24;

// The long option `typed` was probably meant to be: the only one it begins,
// or the one a few edits away; empty when none is near enough.
std::string_view closest_long_name(std::span<const OptionSpec> specs, std::string_view typed)
{
  std::string_view prefix_of;
  std::size_t prefixes = 0;
  std::string_view nearest;
  std::size_t nearest_distance = std::max<std::size_t>(1, typed.size() / 3) + 1;
  const auto consider = [&](std::string_view name) {
    if (typed.size() >= 2 && name.starts_with(typed)) {
      prefix_of = name;
      ++prefixes;
    }
    // The distance is at least the length gap: a name too far in length is
    // skipped unmeasured, which keeps a huge argument cheap.
    const std::size_t gap =
      std::max(typed.size(), name.size()) - std::min(typed.size(), name.size());
    if (gap >= nearest_distance) {
      return;
    }
    if (const std::size_t distance = edit_distance(typed, name); distance < nearest_distance) {
      nearest = name;
      nearest_distance = distance;
    }
  };
  for (const std::string_view name : {k_help, k_version}) {
    consider(name);
  }
  for (const OptionSpec& spec : specs) {
    consider(spec.long_name);
  }
  return !nearest.empty() ? nearest : prefixes == 1 ? prefix_of : std::string_view();
}

// Throws the usage error for the unknown `option`, met in the argument
// `arg`, naming the long option closest to `typed_name`.
[[noreturn]] void unknown_option(std::span<const OptionSpec> specs, std::string_view option,
                                 std::string_view arg, std::string_view typed_name)
{
  std::string message = "unknown option " + std::string(option);
  if (arg != option) {
    message += " in " + std::string(arg);
  }
  if (const std::string_view meant = closest_long_name(specs, typed_name); !meant.empty()) {
    message += " (did you mean --" + std::string(meant) + "?)";
  }
  usage_error(message);
}

// `words` joined by commas, `last` before the last one: "a, b or c".
std::string listed(std::span<const std::string_view> words, std::string_view last)
{
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += i == 0 ? "" : i + 1 == words.size() ? last : ", ";
    text += words[i];
  }
  return text;
}

// `--jobs`: how messages name an option.
std::string long_form(const OptionSpec& spec)
{
  return "--" + std::string(spec.long_name);
}

// Throws the usage error for an option given no value, saying what it takes.
[[noreturn]] void missing_value(const OptionSpec& spec)
{
  usage_error(long_form(spec) + " needs a value: " +
              (spec.choices.empty() ? std::string(spec.value_name) : listed(spec.choices, " or ")));
}

} // namespace

ParsedOptions::ParsedOptions(std::span<const OptionSpec> specs, std::span<const char* const> args)
    : m_specs(specs), m_given(specs.size())
{
  for (std::size_t next = 0; next < args.size() && m_request == Request::run;) {
    const std::string_view arg = args[next++];
    if (arg.size() < 2 || arg[0] != '-') {
      m_positionals.push_back(arg);
    } else if (arg[1] == '-') {
      read_long(arg, args, next);
    } else {
      read_short(arg, args, next);
    }
  }
}

// `--name`, `--name=value` or `--name value`.
void ParsedOptions::read_long(std::string_view arg, std::span<const char* const> args,
                              std::size_t& next)
{
  const std::size_t equals = arg.find('=');
  const std::string_view name = arg.substr(2, equals - 2);
  const auto spec = std::find_if(m_specs.begin(), m_specs.end(),
                                 [name](const OptionSpec& s) { return s.long_name == name; });
  const bool built_in = name == k_help || name == k_version;
  if (spec == m_specs.end() && !built_in) {
    unknown_option(m_specs, arg.substr(0, equals), arg.substr(0, equals), name);
  }
  if ((built_in || spec->value_name.empty()) && equals != std::string_view::npos) {
    usage_error(std::string(arg.substr(0, equals)) + " takes no value, so not \"" +
                std::string(arg.substr(equals + 1)) + "\"");
  }
  if (built_in) {
    m_request = name == k_help ? Request::help : Request::version;
    return;
  }
  const auto index = static_cast<std::size_t>(spec - m_specs.begin());
  if (spec->value_name.empty()) {
    store(index, "");
  } else if (equals != std::string_view::npos) {
    store(index, arg.substr(equals + 1));
  } else if (next < args.size()) {
    store(index, args[next++]);
  } else {
    missing_value(*spec);
  }
}

// `-q`, `-qv`, `-j 4`, `-j4`, `-vj4`.
void ParsedOptions::read_short(std::string_view arg, std::span<const char* const> args,
                               std::size_t& next)
{
  for (std::size_t at = 1; at < arg.size(); ++at) {
    const char letter = arg[at];
    const auto spec = std::find_if(m_specs.begin(), m_specs.end(), [letter](const OptionSpec& s) {
      return s.short_name == letter;
    });
    if (spec == m_specs.end()) {
      if (letter == 'h') {
        m_request = Request::help;
        return;
      }
      unknown_option(m_specs, std::string{'-', letter}, arg, arg.substr(1));
    }
    const auto index = static_cast<std::size_t>(spec - m_specs.begin());
    if (spec->value_name.empty()) {
      store(index, "");
    } else if (at + 1 < arg.size()) {
      store(index, arg.substr(at + 1));
      return;
    } else if (next < args.size()) {
      store(index, args[next++]);
      return;
    } else {
      missing_value(*spec);
    }
  }
}

void ParsedOptions::store(std::size_t index, std::string_view value)
{
  const OptionSpec& spec = m_specs[index];
  std::optional<std::string_view>& given = m_given[index];
  if (given && !spec.value_name.empty()) {
    usage_error(long_form(spec) + " is given twice (\"" + std::string(*given) + "\", then \"" +
                std::string(value) + "\"): give it once");
  }
  if (!spec.choices.empty() &&
      std::find(spec.choices.begin(), spec.choices.end(), value) == spec.choices.end()) {
    usage_error(long_form(spec) + ": \"" + std::string(value) + "\" is not one of " +
                listed(spec.choices, ", "));
  }
  given = value;
}

namespace {

// `-f,--file PATH`: an option's names and value as --help shows them.
std::string names_of(const OptionSpec& spec)
{
  std::string names;
  if (spec.short_name != '\0') {
    names = std::string{'-', spec.short_name, ','};
  }
  names += long_form(spec);
  if (!spec.value_name.empty()) {
    names += ' ';
    names += spec.value_name;
  }
  return names;
}

// Appends an entry of --help: `names` from the third column, `help` from
// `column`, its words wrapped within the help's width (on a line of its
// own after names too wide for their column).
void append_entry(std::string& text, std::string_view names, std::string_view help,
                  std::size_t column)
{
  text += "  ";
  text += names;
  std::size_t width = 2 + names.size();
  if (width + 2 > column) {
    text += '\n';
    width = 0;
  }
  for (std::size_t start = help.find_first_not_of(' '); start != std::string_view::npos;) {
    const std::size_t end = std::min(help.find(' ', start), help.size());
    const std::string_view word = help.substr(start, end - start);
    if (width > column && width + 1 + word.size() > k_help_width) {
      text += '\n';
      width = 0;
    }
    if (width < column) {
      text.append(column - width, ' ');
      width = column;
    } else {
      text += ' ';
      ++width;
    }
    text += word;
    width += word.size();
    start = help.find_first_not_of(' ', end);
  }
  text += '\n';
}

} // namespace

std::string help_text(const HelpPage& page, std::span<const OptionSpec> specs)
{
  constexpr OptionSpec k_help_spec = {'h', k_help, "", {}, "Print this help and exit"};
  constexpr OptionSpec k_version_spec = {'\0', k_version, "", {}, "Print the version and exit"};
  std::size_t widest = page.positional.size();
  for (const OptionSpec& spec : specs) {
    widest = std::max(widest, names_of(spec).size());
  }
  const std::size_t column = 2 + std::min(widest, k_widest_names) + 2;
  std::string text =
    std::string(page.usage) + "\n" + std::string(page.description) + "\nPositionals:\n";
  append_entry(text, page.positional, page.positional_help, column);
  text += "\nOptions:\n";
  for (const OptionSpec& spec : {k_help_spec, k_version_spec}) {
    append_entry(text, names_of(spec), spec.help, column);
  }
  for (const OptionSpec& spec : specs) {
    append_entry(text, names_of(spec), spec.help, column);
  }
  return text + "\n" + std::string(page.footer);
}

} // namespace fanout
