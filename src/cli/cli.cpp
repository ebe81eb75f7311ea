// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include "jobfile/duration.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <sched.h>
#include <sstream>
#include <thread>

namespace fanout {

namespace {

constexpr std::size_t k_max_jobs = 4096;

constexpr const char* k_footer =
  R"(Durations: 250ms, 30s, 5m, 1h, 1h30m, or a bare number of seconds (2.5).

Output: every line a job writes is printed whole, prefixed with the job's
name; its stdout goes to stdout and its stderr to stderr. The summary and
fanout's own messages go to stderr.

Each job runs in its own process group with stdin from /dev/null and sees
FANOUT_JOB_NAME, FANOUT_JOB_INDEX (1-based) and FANOUT_SLOT (1..N).

Jobs: a job starts once the jobs it `needs` succeeded (a daemon: is ready);
daemons run beside the -j slots and are stopped once every other job ended;
a failed job is retried `retries` times. Naming jobs also runs what they need.

Exit status: 0 every job ok (daemons ok or stopped, allowed failures
aside); 1 a job failed, was killed, timed out, could not start or was
skipped because of one, or fanout's output could not be written (a full
disk); 2 usage or job-file error (nothing ran); 128+N interrupted by
signal N (130 for Ctrl-C).

See fanout(1) for the job file.)";

// CPUs this process may run on, which is what -j should default to in a
// container or under taskset; hardware_concurrency is the fallback.
std::size_t cpu_count()
{
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    return static_cast<std::size_t>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// A CLI11 transform that accepts a duration and rejects anything else with
// a message naming the value.
CLI::Validator duration_validator()
{
  return CLI::Validator(
    [](std::string& value) -> std::string {
      if (parse_duration(value)) {
        return {};
      }
      const std::string what = "\"" + value + "\" is not a duration";
      if (is_negative_duration(value)) {
        return what + std::string(k_cannot_be_negative);
      }
      const std::string hint = suggest_duration(value);
      return what + (hint.empty() ? " (e.g. 30s, 1h30m, 250ms)" : " (try \"" + hint + "\")");
    },
    "");
}

// A CLI11 transform that accepts a decimal number of jobs from 1 to
// `k_max_jobs` (written back without leading zeros, which CLI11 would read
// as octal) and rejects anything else, saying why and what is accepted.
CLI::Validator jobs_validator()
{
  return CLI::Validator(
    [](std::string& value) -> std::string {
      const std::string accepted = ": use 1 to " + std::to_string(k_max_jobs);
      const char* const end = value.data() + value.size();
      long long jobs = 0;
      const auto [last, error] = std::from_chars(value.data(), end, jobs);
      if (error == std::errc::invalid_argument || last != end) {
        double number = 0;
        const bool is_number =
          !value.empty() && std::from_chars(value.data(), end, number).ptr == end;
        return "\"" + value + "\" is not a " + (is_number ? "whole " : "") + "number" + accepted;
      }
      if (error == std::errc::result_out_of_range || jobs < 1 ||
          static_cast<unsigned long long>(jobs) > k_max_jobs) {
        return value + " is out of range" + accepted;
      }
      value = std::to_string(jobs);
      return {};
    },
    "");
}

} // namespace

std::variant<Options, CommandLineExit> parse_command_line(int argc, const char* const* argv)
{
  Options options;
  options.jobs = std::min(cpu_count(), k_max_jobs);
  std::string timeout;
  std::string grace;
  std::string color = "auto";
  std::string pool = "process";
  bool list = false;
  bool dry_run = false;

  CLI::App app("Run the jobs of a TOML job file in parallel, with tagged output, timeouts\n"
               "and a summary of every job's exit status.",
               "fanout");
  app.footer(k_footer);
  app.set_version_flag("--version", "fanout " FANOUT_VERSION);
  app.add_option("-f,--file", options.file, "The job file (default: fanout.toml)")
    ->type_name("PATH");
  app
    .add_option("-j,--jobs", options.jobs,
                "Run at most N jobs at once (default: the number of CPUs)")
    ->type_name("N")
    ->transform(jobs_validator());
  app
    .add_option(
      "--pool", pool,
      "What runs a job: process (each job a child process; function jobs in a forked child) "
      "or thread (worker threads; function jobs run inside fanout). Default: process")
    ->type_name("KIND")
    ->check(CLI::IsMember({"process", "thread"}));
  app.add_option("--timeout", timeout, "Timeout for jobs whose job file sets none")
    ->type_name("DUR")
    ->check(duration_validator());
  app.add_option("--grace", grace, "Time between SIGTERM and SIGKILL (default: 5s)")
    ->type_name("DUR")
    ->check(duration_validator());
  app
    .add_option("--color", color,
                "Colour the job names: auto (when a terminal and NO_COLOR unset), always, never")
    ->type_name("WHEN")
    ->check(CLI::IsMember({"auto", "always", "never"}));
  bool keep_going = false;
  auto* fail_fast =
    app.add_flag("--fail-fast", options.fail_fast,
                 "On the first failure start nothing more and cancel the running jobs");
  app
    .add_flag("--keep-going", keep_going,
              "Run every job that does not need a failed one (the default)")
    ->excludes(fail_fast);
  app.add_flag("-q,--quiet", options.quiet, "No summary table; failures are still reported");
  app.add_flag("-v,--verbose", options.verbose, "A line when each job starts and ends");
  app.add_flag("--list", list, "Print the names of the jobs that would run, and exit");
  app.add_flag("--dry-run", dry_run, "Print each command that would run; run nothing");
  app
    .add_option("JOB", options.patterns,
                "Jobs to run, by name or shell glob ('test-*'); default: all")
    ->type_name("");

  try {
    app.parse(argc, argv);
    if (list && dry_run) {
      throw CLI::ValidationError("--list and --dry-run cannot be used together");
    }
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      std::ostringstream out;
      std::ostringstream err;
      app.exit(e, out, err);
      return CommandLineExit{0, Stream::out, out.str()};
    }
    return CommandLineExit{2, Stream::err,
                           std::string("fanout: error: ") + e.what() +
                             "\nRun 'fanout --help' for more information.\n"};
  }
  if (!timeout.empty()) {
    options.timeout = parse_duration(timeout);
  }
  if (!grace.empty()) {
    options.grace = *parse_duration(grace);
  }
  options.color = color == "always"  ? ColorMode::always
                  : color == "never" ? ColorMode::never
                                     : ColorMode::automatic;
  options.pool = pool == "thread" ? Pool::thread : Pool::process;
  options.action = list ? Action::list : dry_run ? Action::dry_run : Action::run;
  return options;
}

} // namespace fanout
