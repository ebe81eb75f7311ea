// SPDX-License-Identifier: MIT
#include "cli/command_args.hpp"

#include "cli/usage_error.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace fanout {

namespace {

// What a token after the command is: the start of an input source or not.
enum class Marker { none, values, files, linked };

Marker marker_of(std::string_view token)
{
  if (token == ":::") {
    return Marker::values;
  }
  if (token == "::::") {
    return Marker::files;
  }
  return token == ":::+" || token == "::::+" ? Marker::linked : Marker::none;
}

// A source of the lines of `path` ("-": stdin), each ended by `separator`.
InputSourceSpec lines_source(std::string path, char separator)
{
  InputSourceSpec source;
  source.kind = InputSourceSpec::Kind::lines;
  source.path = std::move(path);
  source.separator = separator;
  return source;
}

} // namespace

bool is_input_marker(std::string_view token)
{
  return marker_of(token) != Marker::none;
}

void read_command(std::span<const char* const> tokens, char separator, Options& options)
{
  const auto first_marker = std::find_if(tokens.begin(), tokens.end(), is_input_marker);
  if (tokens.empty()) {
    usage_error("a command must follow --");
  }
  if (first_marker == tokens.begin()) {
    usage_error("a command must come between -- and " + std::string(tokens.front()));
  }
  if (std::string_view(tokens.front()).find_first_not_of(" \t\n") == std::string_view::npos) {
    usage_error("the command after -- is empty");
  }
  options.command.assign(tokens.begin(), first_marker);
  bool reads_stdin = false;
  for (auto marker = first_marker; marker != tokens.end();) {
    const std::string_view name = *marker;
    const auto next = std::find_if(marker + 1, tokens.end(), is_input_marker);
    const std::span<const char* const> operands(marker + 1, next);
    const Marker kind = marker_of(name);
    if (kind == Marker::linked) {
      usage_error(std::string(name) +
                  " (linked inputs) is not supported: ::: and :::: run every combination");
    }
    // GNU parallel runs nothing and exits 0 on an empty source, which hides
    // a glob that matched nothing or an empty list; fanout says so instead.
    if (operands.empty()) {
      usage_error(kind == Marker::values ? "::: has no values, so no job would run"
                                         : ":::: has no file to read (- is stdin)");
    }
    if (kind == Marker::values) {
      options.inputs.emplace_back().values.assign(operands.begin(), operands.end());
    } else {
      for (const std::string_view path : operands) {
        if (path == "-" && std::exchange(reads_stdin, true)) {
          usage_error(":::: - is given twice: stdin can be read only once");
        }
        options.inputs.push_back(lines_source(std::string(path), separator));
      }
    }
    marker = next;
  }
  if (options.inputs.empty()) {
    options.inputs.push_back(lines_source("-", separator));
  }
}

} // namespace fanout
