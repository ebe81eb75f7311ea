// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "jobfile/job.hpp"
#include "output/output.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fanout {

enum class Action { run, list, dry_run };

// The command line, parsed (fanout(1), OPTIONS).
struct Options {
  std::string file = "fanout.toml";
  std::size_t jobs = 1;
  Pool pool = Pool::process;
  std::optional<Duration> timeout;
  Duration grace = std::chrono::seconds(5);
  ColorMode color = ColorMode::automatic;
  bool fail_fast = false; // --fail-fast; --keep-going (the default) sets it back
  bool quiet = false;
  bool verbose = false;
  Action action = Action::run;
  std::vector<std::string> patterns; // job names or shell globs; empty: all
};

// What to print and the exit code to leave with when the command line asks
// for no run: 0 with `--help` or `--version` (for stdout), 2 with a usage
// error (for stderr).
struct CommandLineExit {
  int code;
  Stream stream;
  std::string text;
};

// Parses the command line: the options, or what to print before leaving.
// Prints nothing itself.
std::variant<Options, CommandLineExit> parse_command_line(int argc, const char* const* argv);

} // namespace fanout
