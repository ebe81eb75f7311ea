// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "jobfile/group.hpp"
#include "jobfile/job.hpp"
#include "output/ci_folds.hpp"
#include "output/output.hpp"
#include "run/resume_state.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fanout {

enum class Action { run, list, dry_run };

// Where the jobs' processes run (--launcher): here, or as Slurm steps.
enum class LauncherKind { local, slurm };

// The command line, parsed (fanout(1), OPTIONS).
struct Options {
  std::string file = "fanout.toml";
  std::size_t jobs = 1;
  bool jobs_given = false; // -j was given: a cap on a Slurm allocation's tasks or the hosts' slots
  Pool pool = Pool::process;
  LauncherKind launcher = LauncherKind::local;
  std::optional<Duration> timeout;
  Duration grace = std::chrono::seconds(5);
  ColorMode color = ColorMode::automatic;
  StatusMode status = StatusMode::automatic;
  // --output; unset: `group` in a CI (see `ci`), else `lines`.
  std::optional<OutputMode> output;
  // --ci; unset: the CI of the environment (ci_platform_from_environment).
  std::optional<CiPlatform> ci;
  bool fail_fast = false; // --fail-fast; --keep-going (the default) sets it back
  bool quiet = false;
  bool verbose = false;
  Action action = Action::run;
  std::vector<std::string> patterns; // job names or shell globs; empty: all
  // The command after `--`, one token per argument as typed; empty: run the
  // job file. Never empty itself when given.
  std::vector<std::string> command;
  // The command's input sources in command-line order: one per `:::`, one
  // per file of `::::`, or else the lines of stdin; `-0` already applied to
  // the lines sources. Empty without a command.
  std::vector<InputSourceSpec> inputs;
  // --retries: how many more times each of the command's jobs is tried
  // after it failed, was killed or timed out. Only with a command.
  std::optional<unsigned> retries;
  // --json FILE, --joblog FILE and --junit FILE: the reports to write, if any.
  std::optional<std::string> json_file;
  std::optional<std::string> joblog_file;
  std::optional<std::string> junit_file;
  // --log-dir: the folder that gets each attempt's output in a file; unset:
  // none. Never empty when set.
  std::optional<std::string> log_dir;
  // --tail: how many last lines of each failed job are replayed after the
  // summary; 0: none.
  std::size_t tail = 20;
  // --resume, --rerun-failed: what the run does with the state of earlier
  // runs (fanout(1), RESUMING); a plain run records its own.
  ResumeMode resume = ResumeMode::record;
  // --state: the state file; empty: .fanout/NAME.state beside the job file.
  std::string state;
  // --hosts: the hosts the commands run on over SSH; empty: the job file's
  // [hosts], if any. -j, when given (`jobs_given`), caps their slots.
  std::vector<HostSpec> hosts;
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
