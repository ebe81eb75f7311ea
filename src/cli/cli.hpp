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

// The command line, parsed (DESIGN §1).
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

// Parses the command line. Returns the options, or the exit code to leave
// with at once: 0 after `--help` or `--version` (printed to stdout), 2 after
// a usage error (printed to stderr).
std::variant<Options, int> parse_command_line(int argc, const char* const* argv);

} // namespace fanout
