// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// One option a command line may hold, as a constant table describes it.
struct OptionSpec {
  // `-j`; '\0': the option has a long name only.
  char short_name = '\0';
  // `--jobs`, written without its dashes: "jobs".
  std::string_view long_name;
  // What --help calls the option's value ("N"); empty: a flag, which takes
  // no value.
  std::string_view value_name;
  // The only values the option accepts; empty: any.
  std::span<const std::string_view> choices;
  // The option's line in --help, wrapped when printed.
  std::string_view help;
};

// The index of the option `long_name` in `specs`, found while compiling: a
// name no option has does not compile.
consteval std::size_t option_index(std::span<const OptionSpec> specs, std::string_view long_name)
{
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].long_name == long_name) {
      return i;
    }
  }
  throw "no option has this long name";
}

// What a command line asks for besides its options: a run, or the help or
// version that `-h`, `--help` or `--version` ask for.
enum class Request { run, help, version };

// The options and positional arguments of a command line, read in one pass
// against a table of `OptionSpec`. Values are views into the arguments,
// which must outlive the object.
class ParsedOptions {
public:
  // Reads `args` (argv without the program's name) against `specs`. An
  // option's value is what follows `=` (`--jobs=4`), the rest of a short
  // option's argument (`-j4`), or else the next argument, whatever it starts
  // with (`--timeout -5s`, `-f -`). Short flags group (`-qv`; `-vj4` ends
  // with a value). Any other argument, `-` included, is positional, before
  // and after options. `-h`, `--help` and `--version` end the pass at once
  // with their request. Throws `UsageError` for an unknown option (naming
  // the closest one), a missing value, a value given to a flag, a value not
  // among an option's choices, or an option with a value given twice; a
  // flag may be given again.
  ParsedOptions(std::span<const OptionSpec> specs, std::span<const char* const> args);

  // The request that ended the pass; `run` when none did.
  Request request() const { return m_request; }

  // Whether the option at `index` of the table was given.
  bool has(std::size_t index) const { return m_given[index].has_value(); }

  // The value of the option at `index`; empty for a flag or an option not
  // given.
  std::string_view value(std::size_t index) const { return m_given[index].value_or(""); }

  // The positional arguments, in command-line order.
  const std::vector<std::string_view>& positionals() const { return m_positionals; }

private:
  // Reads the option `arg`, taking its value from `args[next++]` when it
  // needs the next argument.
  void read_long(std::string_view arg, std::span<const char* const> args, std::size_t& next);
  void read_short(std::string_view arg, std::span<const char* const> args, std::size_t& next);
  // Keeps `value` for the option at `index`; throws for a value given
  // twice or not among the option's choices.
  void store(std::size_t index, std::string_view value);

  std::span<const OptionSpec> m_specs;
  Request m_request = Request::run;
  std::vector<std::optional<std::string_view>> m_given;
  std::vector<std::string_view> m_positionals;
};

// What --help prints around the options' list.
struct HelpPage {
  std::string_view usage;       // the usage lines, each ended by a newline
  std::string_view description; // a paragraph, ended by a newline
  std::string_view positional;  // the positional arguments' name: "JOB..."
  std::string_view positional_help;
  std::string_view footer; // the text after the options, ended by a newline
};

// The text of --help: `page`'s usage and description, its positionals, then
// `-h,--help`, `--version` and every option of `specs` with its value name,
// each option's help wrapped beside the names, then `page`'s footer.
std::string help_text(const HelpPage& page, std::span<const OptionSpec> specs);

} // namespace fanout
