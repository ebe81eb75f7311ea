// SPDX-License-Identifier: MIT
#pragma once

#include "cli/option_parser.hpp"

#include <cstddef>
#include <string_view>

namespace fanout {

// The values --pool, --launcher, --color and --status, --output and --ci
// accept.
inline constexpr std::string_view k_pools[] = {"process", "thread"};
inline constexpr std::string_view k_launchers[] = {"local", "slurm"};
inline constexpr std::string_view k_whens[] = {"auto", "always", "never"};
inline constexpr std::string_view k_output_modes[] = {"lines", "group", "keep-order"};
inline constexpr std::string_view k_ci_platforms[] = {"github", "gitlab", "none"};

// fanout's options (fanout(1), OPTIONS), in the order --help lists them;
// `parse_command_line` reads what each one means.
inline constexpr OptionSpec k_options[] = {
  {'f', "file", "PATH", {}, "The job file (default: fanout.toml)"},
  {'j', "jobs", "N", {}, "Run at most N jobs at once (default: the number of CPUs)"},
  {'\0', "pool", "KIND", k_pools,
   "What runs a job: process (each job a child process; function jobs in a forked child) or "
   "thread (worker threads; function jobs run inside fanout). Default: process"},
  {'\0', "launcher", "KIND", k_launchers,
   "Where jobs run: local, or slurm (each job a step of the Slurm allocation fanout runs in, "
   "under salloc or sbatch). Default: local"},
  {'\0', "timeout", "DUR", {}, "Timeout for jobs whose job file sets none"},
  {'\0', "grace", "DUR", {}, "Time between SIGTERM and SIGKILL (default: 5s)"},
  {'\0', "color", "WHEN", k_whens,
   "Colour the job names: auto (when a terminal and NO_COLOR unset), always, never"},
  {'\0', "status", "WHEN", k_whens,
   "A live status line below the jobs' lines when stderr is a terminal: auto (when TERM is set "
   "and not dumb), always, never"},
  {'\0', "output", "MODE", k_output_modes,
   "How job output is printed: lines (each line as it comes), group (each job's output in one "
   "block when it ends), keep-order (blocks in job-file order, the first running job live). "
   "Default: lines; group in CI"},
  {'\0', "ci", "CI", k_ci_platforms,
   "Fold each job's block and mark failed jobs for this CI: github, gitlab, none. Default: "
   "github if GITHUB_ACTIONS=true, gitlab if GITLAB_CI is set"},
  {'\0',
   "fail-fast",
   "",
   {},
   "On the first failure start nothing more and cancel the running jobs"},
  {'\0', "keep-going", "", {}, "Run every job that does not need a failed one (the default)"},
  {'q', "quiet", "", {}, "No summary table; failures are still reported"},
  {'v', "verbose", "", {}, "A line when each job starts and ends"},
  {'0',
   "null",
   "",
   {},
   "Input lines (:::: FILE and stdin) end at a NUL byte, not a newline (find -print0)"},
  {'\0',
   "retries",
   "N",
   {},
   "Retry each of the command's jobs up to N times after it failed, was killed or timed out"},
  {'\0',
   "junit",
   "FILE",
   {},
   "Write a JUnit XML report to FILE: a testcase per job, failures with the end of their "
   "output"},
  {'\0', "json", "FILE", {}, "Write a report of the run and of every job to FILE, as JSON"},
  {'\0', "joblog", "FILE", {}, "Write GNU parallel's job log (TSV) to FILE"},
  {'\0',
   "log-dir",
   "DIR",
   {},
   "Also write each job's output, both streams, to a file of its own in DIR (created if "
   "missing): NAME.log, NAME.2.log for its first retry"},
  {'\0',
   "tail",
   "N",
   {},
   "After the summary, print again the last N lines of each job that failed (default: 20; 0: "
   "none)"},
  {'\0', "resume", "", {}, "Skip the jobs that succeeded in an earlier run; run the rest"},
  {'\0',
   "rerun-failed",
   "",
   {},
   "Run only the jobs that did not succeed in the last run, and what they need"},
  {'\0',
   "state",
   "FILE",
   {},
   "The file that records each run for --resume (default: .fanout/NAME.state beside the job "
   "file NAME)"},
  {'\0',
   "hosts",
   "LIST",
   {},
   "Run the commands over SSH on these hosts: HOST or N/HOST, comma-separated, N jobs at once "
   "on HOST (default 4, at most 8: below sshd's MaxSessions of 10); the pool is their sum, -j "
   "caps it (fanout(1), OVER SSH)"},
  {'\0', "list", "", {}, "Print the names of the jobs that would run, and exit"},
  {'\0', "dry-run", "", {}, "Print each command that would run; run nothing"},
};

// The index of fanout's option `--long_name` in `k_options`, while compiling.
consteval std::size_t option(std::string_view long_name)
{
  return option_index(k_options, long_name);
}

// What fanout's --help prints around its options.
inline constexpr HelpPage k_help_page = {
  "Usage: fanout [OPTIONS] [JOB...]\n"
  "       fanout [OPTIONS] -- CMD [ARGS...] [::: VALUES...] [:::: FILES...]\n",
  "Run the jobs of a TOML job file in parallel, with tagged output, timeouts\n"
  "and a summary of every job's exit status.\n",
  "JOB...", "Jobs to run, by name or shell glob ('test-*'); default: all",
  R"(Durations: 250ms, 30s, 5m, 1h, 1h30m, or a bare number of seconds (2.5).

Output: every line a job writes is printed whole, prefixed with the job's
name; its stdout goes to stdout and its stderr to stderr. The summary and
fanout's own messages go to stderr. In GitHub Actions (GITHUB_ACTIONS=true)
and GitLab CI (GITLAB_CI set) the default is --output group, each job's
block a collapsible section, and a failed job is marked as an error.

Each job runs in its own process group with stdin from /dev/null and sees
FANOUT_JOB_NAME, FANOUT_JOB_INDEX (1-based), FANOUT_SLOT (1..N) and
FANOUT_ATTEMPT (1, then 2 for the first retry, ...).

Inputs: with a command after --, one job per input: per value of
::: VALUES, per line of :::: FILE (- is stdin), or per line of stdin when
neither is given; several sources give every combination. -0: lines end at
NUL. In the command, {} is the input, {.} without its extension, {/} its
basename, {//} its dirname, {/.} its basename without extension, {#} the
job's number, {%} its slot, {1} {2} the value of source 1, 2. A command
with none of these gets the input as its last argument. A value is one
argument, never code: a command given as one argument with spaces
('gzip < {} > {}.gz') runs with /bin/sh, each value quoted for it.

Jobs: a job starts once the jobs it `needs` succeeded (a daemon: is ready);
daemons run beside the -j slots and are stopped once every other job ended;
a failed job is retried `retries` times (--retries N for a command's jobs).
Naming jobs also runs what they need.

Exit status: 0 every job ok (daemons ok or stopped, allowed failures
aside); 1 a job failed, was killed, timed out, could not start or was
skipped because of one, or fanout's output or a report could not be
written (a full disk); 2 usage or job-file error, or a report that cannot
be created (nothing ran); 128+N interrupted by signal N (130 for Ctrl-C).

See fanout(1) for the job file.
)"};

} // namespace fanout
