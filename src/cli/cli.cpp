// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include "cli/command_args.hpp"
#include "cli/option_table.hpp"
#include "cli/usage_error.hpp"
#include "error.hpp"
#include "jobfile/duration.hpp"
#include "jobfile/hosts.hpp"

#include <algorithm>
#include <charconv>
#include <sched.h>
#include <span>
#include <string_view>
#include <thread>

namespace fanout {

namespace {

constexpr std::size_t k_max_jobs = 4096;
constexpr long long k_max_retries = 100;
constexpr long long k_max_tail = 1000;

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

// How a message about the option at `index` starts: "--jobs: ".
std::string about(std::size_t index)
{
  return "--" + std::string(k_options[index].long_name) + ": ";
}

// The value of the option at `index` as a duration, or a usage error that
// names the value and says what would do.
Duration duration_value(std::size_t index, std::string_view value)
{
  if (const auto duration = parse_duration(value)) {
    return *duration;
  }
  const std::string what = about(index) + "\"" + std::string(value) + "\" is not a duration";
  if (is_negative_duration(value)) {
    usage_error(what + std::string(k_cannot_be_negative));
  }
  const std::string hint = suggest_duration(value);
  usage_error(what + (hint.empty() ? " (e.g. 30s, 1h30m, 250ms)" : " (try \"" + hint + "\")"));
}

// The value of the option at `index` as a decimal whole number from `low`
// to `high` (leading zeros do not make it octal), or a usage error that
// says why not and what is accepted.
long long whole_number(std::size_t index, std::string_view value, long long low, long long high)
{
  const std::string accepted = ": use " + std::to_string(low) + " to " + std::to_string(high);
  const char* const end = value.data() + value.size();
  long long number = 0;
  const auto [last, error] = std::from_chars(value.data(), end, number);
  if (error == std::errc::invalid_argument || last != end) {
    double real = 0;
    const bool is_number = !value.empty() && std::from_chars(value.data(), end, real).ptr == end;
    usage_error(about(index) + "\"" + std::string(value) + "\" is not a " +
                (is_number ? "whole " : "") + "number" + accepted);
  }
  if (error == std::errc::result_out_of_range || number < low || number > high) {
    usage_error(about(index) + std::string(value) + " is out of range" + accepted);
  }
  return number;
}

// The value of the option at `index`, if it was given.
std::optional<std::string> text_value(const ParsedOptions& parsed, std::size_t index)
{
  return parsed.has(index) ? std::optional<std::string>(parsed.value(index)) : std::nullopt;
}

// Refuses the options at `a` and `b` together.
void check_excluded(const ParsedOptions& parsed, std::size_t a, std::size_t b)
{
  if (parsed.has(a) && parsed.has(b)) {
    usage_error("--" + std::string(k_options[a].long_name) + " cannot be used with --" +
                std::string(k_options[b].long_name));
  }
}

// Sets `options` from what `parsed` holds, each value checked; the checks
// of options together are the caller's but for those that exclude others.
void read_options(const ParsedOptions& parsed, Options& options)
{
  options.jobs = std::min(cpu_count(), k_max_jobs);
  if (parsed.has(option("file"))) {
    options.file = parsed.value(option("file"));
  }
  options.jobs_given = parsed.has(option("jobs"));
  if (options.jobs_given) {
    options.jobs = static_cast<std::size_t>(whole_number(
      option("jobs"), parsed.value(option("jobs")), 1, static_cast<long long>(k_max_jobs)));
  }
  options.pool = parsed.value(option("pool")) == "thread" ? Pool::thread : Pool::process;
  options.launcher =
    parsed.value(option("launcher")) == "slurm" ? LauncherKind::slurm : LauncherKind::local;
  if (parsed.has(option("timeout"))) {
    options.timeout = duration_value(option("timeout"), parsed.value(option("timeout")));
  }
  if (parsed.has(option("grace"))) {
    options.grace = duration_value(option("grace"), parsed.value(option("grace")));
  }
  const std::string_view color = parsed.value(option("color"));
  options.color = color == "always"  ? ColorMode::always
                  : color == "never" ? ColorMode::never
                                     : ColorMode::automatic;
  const std::string_view status = parsed.value(option("status"));
  options.status = status == "always"  ? StatusMode::always
                   : status == "never" ? StatusMode::never
                                       : StatusMode::automatic;
  if (const std::string_view output = parsed.value(option("output")); !output.empty()) {
    options.output = output == "group"        ? OutputMode::group
                     : output == "keep-order" ? OutputMode::keep_order
                                              : OutputMode::lines;
  }
  if (const std::string_view ci = parsed.value(option("ci")); !ci.empty()) {
    options.ci = ci == "github"   ? CiPlatform::github
                 : ci == "gitlab" ? CiPlatform::gitlab
                                  : CiPlatform::none;
  }
  options.fail_fast = parsed.has(option("fail-fast"));
  options.quiet = parsed.has(option("quiet"));
  options.verbose = parsed.has(option("verbose"));
  if (parsed.has(option("retries"))) {
    options.retries = static_cast<unsigned>(
      whole_number(option("retries"), parsed.value(option("retries")), 0, k_max_retries));
  }
  options.junit_file = text_value(parsed, option("junit"));
  options.json_file = text_value(parsed, option("json"));
  options.joblog_file = text_value(parsed, option("joblog"));
  options.log_dir = text_value(parsed, option("log-dir"));
  if (options.log_dir && options.log_dir->empty()) {
    usage_error(about(option("log-dir")) + "the folder name is empty");
  }
  if (parsed.has(option("tail"))) {
    options.tail = static_cast<std::size_t>(
      whole_number(option("tail"), parsed.value(option("tail")), 0, k_max_tail));
  }
  check_excluded(parsed, option("fail-fast"), option("keep-going"));
  check_excluded(parsed, option("resume"), option("rerun-failed"));
  options.resume = parsed.has(option("resume"))         ? ResumeMode::resume
                   : parsed.has(option("rerun-failed")) ? ResumeMode::rerun_failed
                                                        : ResumeMode::record;
  options.state = parsed.value(option("state"));
  options.action = parsed.has(option("list"))      ? Action::list
                   : parsed.has(option("dry-run")) ? Action::dry_run
                                                   : Action::run;
  options.patterns.assign(parsed.positionals().begin(), parsed.positionals().end());
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
  // The command and its inputs are fanout's to read: the options end at the
  // first `--`, so `-- grep -v x` keeps its -v.
  const std::span<const char* const> args(argv, static_cast<std::size_t>(argc));
  const auto first = args.begin() + std::min(argc, 1);
  const auto dashes = std::find(first, args.end(), std::string_view("--"));
  Options options;
  try {
    const ParsedOptions parsed(k_options, std::span<const char* const>(first, dashes));
    if (parsed.request() == Request::help) {
      return CommandLineExit{0, Stream::out, help_text(k_help_page, k_options)};
    }
    if (parsed.request() == Request::version) {
      return CommandLineExit{0, Stream::out, "fanout " FANOUT_VERSION "\n"};
    }
    read_options(parsed, options);
    if (parsed.has(option("list")) && parsed.has(option("dry-run"))) {
      usage_error("--list and --dry-run cannot be used together");
    }
    if (const auto marker = std::find_if(first, dashes, is_input_marker); marker != dashes) {
      usage_error(std::string(*marker) +
                  " must follow a command: fanout [OPTIONS] -- CMD [ARGS...] ::: VALUES...");
    }
    const bool null = parsed.has(option("null"));
    if (dashes != args.end()) {
      read_command({dashes + 1, args.end()}, null ? '\0' : '\n', options);
    }
    check_command_mode(options, parsed.has(option("file")), null);
    if (parsed.has(option("state")) && options.state.empty()) {
      usage_error("--state needs a file name");
    }
    check_resume(options, options.action != Action::run, parsed.has(option("state")));
    if (parsed.has(option("hosts")) && options.launcher == LauncherKind::slurm) {
      usage_error("--hosts cannot be used with --launcher slurm");
    }
    if (parsed.has(option("hosts"))) {
      try {
        options.hosts = parse_host_list(parsed.value(option("hosts")));
      } catch (const Error& e) {
        usage_error(std::string("--hosts: ") + e.what());
      }
    }
  } catch (const UsageError& e) {
    return CommandLineExit{2, Stream::err,
                           std::string("fanout: error: ") + e.what() +
                             "\nRun 'fanout --help' for more information.\n"};
  }
  return options;
}

} // namespace fanout
