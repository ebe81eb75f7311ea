// SPDX-License-Identifier: MIT
#include "cli/run_jobs.hpp"

#include "cli/launcher_choice.hpp"
#include "cli/resume_session.hpp"
#include "error.hpp"
#include "exec/pool_executor.hpp"
#include "output/console_turn.hpp"
#include "output/grouped_sink.hpp"
#include "output/prefixed_sink.hpp"
#include "output/status_line.hpp"
#include "report/failure_replay.hpp"
#include "report/joblog.hpp"
#include "report/json_report.hpp"
#include "report/junit_report.hpp"
#include "report/log_dir.hpp"
#include "report/log_names.hpp"
#include "report/report.hpp"
#include "report/run_messages.hpp"
#include "run/jobserver.hpp"
#include "run/runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace fanout {

namespace {

// The console's backlog between which job output is held and let go again:
// what a reader that stops reading costs fanout in memory, at most.
constexpr std::size_t k_backlog_high = 4 * 1024 * 1024;
constexpr std::size_t k_backlog_low = 1024 * 1024;

// Holds the jobs' output while the console's backlog is over its mark. The
// hold is set on the event loop, where the console grew; it is let go from
// the console's thread, through the loop, where `blocks` (if any) then
// goes on printing. Ends with the run: the console has written
// everything, so no call of the handler is under way.
class OutputHold {
public:
  OutputHold(Console& console, boost::asio::io_context& io, Executor& executor, GroupedSink* blocks)
      : m_console(console)
  {
    console.on_backlog(
      [&io, &executor, blocks](bool over) {
        if (over) {
          executor.hold_output(true);
        } else {
          boost::asio::post(io, [&executor, blocks] {
            executor.hold_output(false);
            if (blocks != nullptr) {
              blocks->console_drained();
            }
          });
        }
      },
      k_backlog_high, k_backlog_low);
  }
  ~OutputHold()
  {
    m_console.flush();
    m_console.on_backlog({}, 0, 0);
  }
  OutputHold(const OutputHold&) = delete;
  OutputHold& operator=(const OutputHold&) = delete;

private:
  Console& m_console;
};

// The report files the options ask for, opened: one that cannot be opened
// throws, before any job runs.
std::vector<std::unique_ptr<ReportFile>> open_reports(const Options& options, const JobFile& file,
                                                      const std::vector<JobId>& selected)
{
  std::vector<std::unique_ptr<ReportFile>> reports;
  if (options.json_file) {
    LogPathOf log_path;
    if (options.log_dir) {
      log_path = [dir = *options.log_dir](std::string_view name, unsigned attempt) {
        return std::optional(dir + "/" + log_file_name(name, attempt));
      };
    }
    reports.push_back(std::make_unique<JsonReport>(*options.json_file, options, log_path));
  }
  if (options.joblog_file) {
    reports.push_back(std::make_unique<Joblog>(*options.joblog_file));
  }
  if (options.junit_file) {
    reports.push_back(std::make_unique<JunitReport>(*options.junit_file, file, selected));
  }
  return reports;
}

} // namespace

RunConfig run_config_of(const Options& options, Jobserver* jobserver)
{
  return {jobserver != nullptr ? jobserver->cap(options.jobs) : options.jobs, options.timeout,
          options.grace, options.fail_fast ? FailurePolicy::fail_fast : FailurePolicy::keep_going,
          jobserver};
}

std::string message_of(const std::exception& e)
{
  const bool ours = dynamic_cast<const Error*>(&e) != nullptr;
  return (ours ? std::string() : "fanout: error: ") + e.what() + "\n";
}

int settle_output(Console& console, int code)
{
  console.flush();
  if (const auto failure = console.failure()) {
    console.write(Stream::err, "fanout: error: cannot write to " + *failure + "\n");
    console.flush();
    return code == 0 ? 1 : code;
  }
  return code;
}

int run_jobs(JobFile file, const std::vector<JobId>& asked, const FunctionTable& functions,
             const Options& options, Console& console, Jobserver& jobserver)
{
  boost::asio::io_context io(1);
  RemoteLaunch remote = choose_launcher(file, asked, options, io);
  ResumeSession resume(file, options, console);
  const std::vector<JobId> selected = resume.jobs_to_run(file, asked);
  if (selected.empty() && !asked.empty()) {
    return settle_output(console, 0); // --rerun-failed said there is nothing to rerun
  }
  const std::vector<std::unique_ptr<ReportFile>> reports = open_reports(options, file, selected);
  std::size_t width = 0;
  for (const JobId id : selected) {
    // A group's members are tagged with their inputs, cut to a width of
    // their own: the longest of a batch must not widen every line.
    if (!file.jobs[id].group) {
      width = std::max(width, widest_tag(file.jobs[id]));
    }
  }
  // In a CI, a job's output is one block, folded, unless --output says otherwise.
  const CiPlatform ci = options.ci.value_or(ci_platform_from_environment());
  const OutputMode mode =
    options.output.value_or(ci == CiPlatform::none ? OutputMode::lines : OutputMode::group);
  const Coloring coloring = coloring_for(options.color, console);
  FailureReplay replay(options.tail, width, coloring.err);
  std::optional<PrefixedSink> lines;
  std::optional<GroupedSink> blocks;
  RunObserver* sink = nullptr;
  if (mode == OutputMode::lines) {
    sink = &lines.emplace(width, coloring, console);
  } else {
    sink = &blocks.emplace(
      GroupedSink::Settings{mode, ci, width, coloring}, console,
      [&io](std::function<void()> next) { boost::asio::post(io, std::move(next)); });
  }
  RunMessages messages(console, options.verbose ? Verbosity::verbose : Verbosity::normal);
  RunConfig config = run_config_of(options, &jobserver);
  if (remote.slots > 0) {
    // The remote slots, or fewer with -j.
    const std::size_t slots =
      options.jobs_given ? std::min(remote.slots, options.jobs) : remote.slots;
    config.max_parallel = jobserver.cap(slots);
  }
  console.write(Stream::err, jobserver.warning());
  jobserver.serve(config.max_parallel);
  PoolExecutor executor(io, options.pool, functions, jobserver.share());
  if (remote.launcher) {
    executor.launch_commands_with(std::move(remote.launcher));
  }
  int code = 2;
  std::string error; // what ended the run early, if anything did
  {
    const OutputHold hold(console, io, executor, blocks ? &*blocks : nullptr);
    try {
      RunObservers observers{sink, &messages, &replay};
      std::optional<LogDir> logs;
      if (options.log_dir) {
        observers.push_back(&logs.emplace(*options.log_dir, console));
      }
      for (const auto& report : reports) {
        observers.push_back(report.get());
      }
      std::optional<StatusLine> status; // not even made unless it is shown
      if (shows_status(options.status, console)) {
        observers.push_back(&status.emplace(io, console, file.jobs, selected));
      }
      ConsoleTurn turn(console);
      observers.push_back(&turn);
      Runner runner(io, executor, std::move(observers));
      const Report report = runner.run(std::move(file), selected, config, resume.state());
      resume.save();
      console.write(Stream::err,
                    format_summary(report,
                                   options.quiet ? SummaryRows::failures_only : SummaryRows::all,
                                   options.log_dir.value_or("")));
      console.write(Stream::err, replay.text());
      // A log that could not be written is output lost, as a full disk
      // under stdout is: the run did not do all it was asked to.
      code =
        logs && logs->has_failed() ? std::max(exit_code_for(report), 1) : exit_code_for(report);
    } catch (const std::exception& e) {
      error = message_of(e);
      console.write(Stream::err, error);
    }
    for (const auto& report : reports) {
      if (const auto failure = report->close(error)) {
        console.write(Stream::err, "fanout: error: cannot write " + *failure + "\n");
        code = code == 0 ? 1 : code;
      }
    }
  }
  code = settle_output(console, code);
  if (executor.abandoned_count() > 0) {
    // A thread cannot be stopped: leave without joining it, and without the
    // destructors, which would wait for it; no process outlives the run, and
    // what a function printed with stdio is flushed first.
    executor.end_all_orphans();
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}

} // namespace fanout
