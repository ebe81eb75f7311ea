// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include "cli/command_args.hpp"
#include "cli/usage_error.hpp"
#include "error.hpp"
#include "jobfile/duration.hpp"
#include "jobfile/hosts.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <memory>
#include <sched.h>
#include <span>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

namespace fanout {

namespace {

constexpr std::size_t k_max_jobs = 4096;
constexpr unsigned k_max_retries = 100;
constexpr std::size_t k_max_tail = 1000;

constexpr const char* k_footer =
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

See fanout(1) for the job file.)";

// CLI11's usage line, followed by the form that runs a command over inputs.
class UsageFormatter : public CLI::Formatter {
public:
  std::string make_usage(const CLI::App* app, std::string name) const override
  {
    return CLI::Formatter::make_usage(app, std::move(name)) +
           "       fanout [OPTIONS] -- CMD [ARGS...] [::: VALUES...] [:::: FILES...]\n";
  }
};

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

// A CLI11 transform that accepts a decimal whole number from `low` to
// `high` (written back without leading zeros, which CLI11 would read as
// octal) and rejects anything else, saying why and what is accepted.
CLI::Validator whole_number_validator(long long low, long long high)
{
  return CLI::Validator(
    [low, high](std::string& value) -> std::string {
      const std::string accepted = ": use " + std::to_string(low) + " to " + std::to_string(high);
      const char* const end = value.data() + value.size();
      long long number = 0;
      const auto [last, error] = std::from_chars(value.data(), end, number);
      if (error == std::errc::invalid_argument || last != end) {
        double real = 0;
        const bool is_number =
          !value.empty() && std::from_chars(value.data(), end, real).ptr == end;
        return "\"" + value + "\" is not a " + (is_number ? "whole " : "") + "number" + accepted;
      }
      if (error == std::errc::result_out_of_range || number < low || number > high) {
        return value + " is out of range" + accepted;
      }
      value = std::to_string(number);
      return {};
    },
    "");
}

// Checks that what was given before `--` goes with what follows it: a
// command replaces the job file, and -0 and --retries are for a command.
void check_command_mode(const Options& options, bool has_file, bool null)
{
  const std::string replaces = " cannot be used with a command: a command after -- replaces the "
                               "job file";
  if (!options.command.empty() && has_file) {
    usage_error("-f" + replaces);
  }
  if (!options.command.empty() && !options.patterns.empty()) {
    usage_error("job name \"" + options.patterns.front() + "\"" + replaces);
  }
  if (options.command.empty() && options.retries) {
    usage_error("--retries is for a command after --: in a job file each job sets its own "
                "retries");
  }
  if (options.command.empty() && null) {
    usage_error("-0 is for the inputs of a command after --");
  }
}

// Checks that --resume and --rerun-failed have a state to read, and a run
// to change.
void check_resume(const Options& options, bool runs_nothing, bool has_state)
{
  if (options.resume == ResumeMode::record) {
    return;
  }
  const std::string option = options.resume == ResumeMode::resume ? "--resume" : "--rerun-failed";
  if (runs_nothing) {
    usage_error(option + " cannot be used with --list or --dry-run");
  }
  if (!has_state && (!options.command.empty() || options.file == "-")) {
    usage_error(option + " needs --state FILE with " +
                (options.command.empty() ? "a job file read from stdin" : "a command after --") +
                ": there is no job file to keep the state beside");
  }
}

} // namespace

std::variant<Options, CommandLineExit> parse_command_line(int argc, const char* const* argv)
{
  Options options;
  options.jobs = std::min(cpu_count(), k_max_jobs);
  std::string timeout;
  std::string grace;
  std::string color = "auto";
  std::string status = "auto";
  std::string pool = "process";
  std::string launcher = "local";
  bool list = false;
  bool dry_run = false;
  bool null = false;
  unsigned retries = 0;

  CLI::App app("Run the jobs of a TOML job file in parallel, with tagged output, timeouts\n"
               "and a summary of every job's exit status.",
               "fanout");
  app.formatter(std::make_shared<UsageFormatter>());
  app.footer(k_footer);
  app.set_version_flag("--version", "fanout " FANOUT_VERSION);
  auto* file = app.add_option("-f,--file", options.file, "The job file (default: fanout.toml)")
                 ->type_name("PATH");
  auto* jobs_option = app
                        .add_option("-j,--jobs", options.jobs,
                                    "Run at most N jobs at once (default: the number of CPUs)")
                        ->type_name("N")
                        ->transform(whole_number_validator(1, k_max_jobs));
  app
    .add_option(
      "--pool", pool,
      "What runs a job: process (each job a child process; function jobs in a forked child) "
      "or thread (worker threads; function jobs run inside fanout). Default: process")
    ->type_name("KIND")
    ->check(CLI::IsMember({"process", "thread"}));
  app
    .add_option("--launcher", launcher,
                "Where jobs run: local, or slurm (each job a step of the Slurm allocation "
                "fanout runs in, under salloc or sbatch). Default: local")
    ->type_name("KIND")
    ->check(CLI::IsMember({"local", "slurm"}));
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
  app
    .add_option("--status", status,
                "A live status line below the jobs' lines when stderr is a terminal: auto "
                "(when TERM is set and not dumb), always, never")
    ->type_name("WHEN")
    ->check(CLI::IsMember({"auto", "always", "never"}));
  std::string output;
  app
    .add_option("--output", output,
                "How job output is printed: lines (each line as it comes), group (each job's "
                "output in one block when it ends), keep-order (blocks in job-file order, the "
                "first running job live). Default: lines; group in CI")
    ->type_name("MODE")
    ->check(CLI::IsMember({"lines", "group", "keep-order"}));
  std::string ci;
  app
    .add_option("--ci", ci,
                "Fold each job's block and mark failed jobs for this CI: github, gitlab, none. "
                "Default: github if GITHUB_ACTIONS=true, gitlab if GITLAB_CI is set")
    ->type_name("CI")
    ->check(CLI::IsMember({"github", "gitlab", "none"}));
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
  app.add_flag("-0,--null", null,
               "Input lines (:::: FILE and stdin) end at a NUL byte, not a newline (find -print0)");
  auto* retries_option =
    app
      .add_option("--retries", retries,
                  "Retry each of the command's jobs up to N times after it failed, was killed or "
                  "timed out")
      ->type_name("N")
      ->transform(whole_number_validator(0, k_max_retries));
  app
    .add_option("--junit", options.junit_file,
                "Write a JUnit XML report to FILE: a testcase per job, failures with the end "
                "of their output")
    ->type_name("FILE");
  std::string json_file;
  auto* json_option = app
                        .add_option("--json", json_file,
                                    "Write a report of the run and of every job to FILE, as JSON")
                        ->type_name("FILE");
  std::string joblog_file;
  auto* joblog_option =
    app.add_option("--joblog", joblog_file, "Write GNU parallel's job log (TSV) to FILE")
      ->type_name("FILE");
  app
    .add_option("--log-dir", options.log_dir,
                "Also write each job's output, both streams, to a file of its own in DIR "
                "(created if missing): NAME.log, NAME.2.log for its first retry")
    ->type_name("DIR")
    ->check(CLI::Validator(
      [](const std::string& dir) -> std::string {
        return dir.empty() ? "the folder name is empty" : "";
      },
      ""));
  app
    .add_option("--tail", options.tail,
                "After the summary, print again the last N lines of each job that failed "
                "(default: 20; 0: none)")
    ->type_name("N")
    ->transform(whole_number_validator(0, k_max_tail));
  bool resume = false;
  bool rerun_failed = false;
  auto* resume_flag = app.add_flag("--resume", resume,
                                   "Skip the jobs that succeeded in an earlier run; run the rest");
  app
    .add_flag("--rerun-failed", rerun_failed,
              "Run only the jobs that did not succeed in the last run, and what they need")
    ->excludes(resume_flag);
  auto* state = app
                  .add_option("--state", options.state,
                              "The file that records each run for --resume (default: "
                              ".fanout/NAME.state beside the job file NAME)")
                  ->type_name("FILE");
  std::string hosts;
  auto* hosts_option =
    app
      .add_option("--hosts", hosts,
                  "Run the commands over SSH on these hosts: HOST or N/HOST, comma-separated, N "
                  "jobs at once on HOST (default 4, at most 8: below sshd's MaxSessions of 10); "
                  "the pool is their sum, -j caps it (fanout(1), OVER SSH)")
      ->type_name("LIST");
  app.add_flag("--list", list, "Print the names of the jobs that would run, and exit");
  app.add_flag("--dry-run", dry_run, "Print each command that would run; run nothing");
  app
    .add_option("JOB", options.patterns,
                "Jobs to run, by name or shell glob ('test-*'); default: all")
    ->type_name("");

  // The command and its inputs are fanout's to read: CLI11 never sees what
  // follows `--`, so `-- grep -v x` keeps its -v.
  const std::span<const char* const> args(argv, static_cast<std::size_t>(argc));
  const auto first = args.begin() + std::min(argc, 1);
  const auto dashes = std::find(first, args.end(), std::string_view("--"));
  try {
    app.parse(static_cast<int>(dashes - args.begin()), argv);
    if (list && dry_run) {
      usage_error("--list and --dry-run cannot be used together");
    }
    if (const auto marker = std::find_if(first, dashes, is_input_marker); marker != dashes) {
      usage_error(std::string(*marker) +
                  " must follow a command: fanout [OPTIONS] -- CMD [ARGS...] ::: VALUES...");
    }
    if (dashes != args.end()) {
      read_command({dashes + 1, args.end()}, null ? '\0' : '\n', options);
    }
    if (retries_option->count() > 0) {
      options.retries = retries;
    }
    if (json_option->count() > 0) {
      options.json_file = json_file;
    }
    if (joblog_option->count() > 0) {
      options.joblog_file = joblog_file;
    }
    check_command_mode(options, file->count() > 0, null);
    options.resume = resume         ? ResumeMode::resume
                     : rerun_failed ? ResumeMode::rerun_failed
                                    : ResumeMode::record;
    if (state->count() > 0 && options.state.empty()) {
      usage_error("--state needs a file name");
    }
    check_resume(options, list || dry_run, state->count() > 0);
    if (hosts_option->count() > 0 && launcher == "slurm") {
      usage_error("--hosts cannot be used with --launcher slurm");
    }
    if (hosts_option->count() > 0) {
      try {
        options.hosts = parse_host_list(hosts);
      } catch (const Error& e) {
        usage_error(std::string("--hosts: ") + e.what());
      }
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
  options.status = status == "always"  ? StatusMode::always
                   : status == "never" ? StatusMode::never
                                       : StatusMode::automatic;
  options.pool = pool == "thread" ? Pool::thread : Pool::process;
  options.launcher = launcher == "slurm" ? LauncherKind::slurm : LauncherKind::local;
  options.jobs_given = jobs_option->count() > 0;
  if (!output.empty()) {
    options.output = output == "group"        ? OutputMode::group
                     : output == "keep-order" ? OutputMode::keep_order
                                              : OutputMode::lines;
  }
  if (!ci.empty()) {
    options.ci = ci == "github"   ? CiPlatform::github
                 : ci == "gitlab" ? CiPlatform::gitlab
                                  : CiPlatform::none;
  }
  options.action = list ? Action::list : dry_run ? Action::dry_run : Action::run;
  return options;
}

} // namespace fanout
