// SPDX-License-Identifier: MIT
#include "cli/run_jobs.hpp"

#include "cli/resume_session.hpp"
#include "error.hpp"
#include "exec/functions.hpp"
#include "exec/pool_executor.hpp"
#include "output/prefixed_sink.hpp"
#include "report/report.hpp"
#include "report/run_messages.hpp"
#include "run/runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace fanout {

namespace {

// The console's backlog between which job output is held and let go again:
// what a reader that stops reading costs fanout in memory, at most.
constexpr std::size_t k_backlog_high = 4 * 1024 * 1024;
constexpr std::size_t k_backlog_low = 1024 * 1024;

// Holds the jobs' output while the console's backlog is over its mark. The
// hold is set on the event loop, where the console grew; it is let go from
// the console's thread, through the loop. Ends with the run: the console
// has written everything, so no call of the handler is under way.
class OutputHold {
public:
  OutputHold(Console& console, boost::asio::io_context& io, Executor& executor) : m_console(console)
  {
    console.on_backlog(
      [&io, &executor](bool over) {
        if (over) {
          executor.hold_output(true);
        } else {
          boost::asio::post(io, [&executor] { executor.hold_output(false); });
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

} // namespace

RunConfig run_config_of(const Options& options)
{
  return {options.jobs, options.timeout, options.grace,
          options.fail_fast ? FailurePolicy::fail_fast : FailurePolicy::keep_going};
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

int run_jobs(JobFile file, const std::vector<JobId>& asked, const Options& options,
             Console& console)
{
  ResumeSession resume(file, options, console);
  const std::vector<JobId> selected = resume.jobs_to_run(file, asked);
  if (selected.empty() && !asked.empty()) {
    return settle_output(console, 0); // --rerun-failed said there is nothing to rerun
  }
  std::size_t width = 0;
  for (const JobId id : selected) {
    // A group's members are tagged with their inputs, cut to a width of
    // their own: the longest of a batch must not widen every line.
    if (!file.jobs[id].group) {
      width = std::max(width, widest_tag(file.jobs[id]));
    }
  }
  PrefixedSink sink(width, coloring_for(options.color, console), console);
  RunMessages messages(console, options.verbose ? Verbosity::verbose : Verbosity::normal);
  // Function jobs' libraries are loaded before any job starts.
  const FunctionTable functions(file, selected);
  boost::asio::io_context io(1);
  PoolExecutor executor(io, options.pool, functions);
  int code = 2;
  {
    const OutputHold hold(console, io, executor);
    try {
      Runner runner(io, executor, {&sink, &messages});
      const Report report =
        runner.run(std::move(file), selected, run_config_of(options), resume.state());
      resume.save();
      console.write(Stream::err, format_summary(report, options.quiet ? SummaryRows::failures_only
                                                                      : SummaryRows::all));
      code = exit_code_for(report);
    } catch (const std::exception& e) {
      console.write(Stream::err, message_of(e));
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
