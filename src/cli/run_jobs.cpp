// SPDX-License-Identifier: MIT
#include "cli/run_jobs.hpp"

#include "error.hpp"
#include "exec/functions.hpp"
#include "exec/pool_executor.hpp"
#include "output/prefixed_sink.hpp"
#include "report/report.hpp"
#include "run/runner.hpp"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdlib>

namespace fanout {

namespace {

// The sink that tags each line with its job's name, padded to the longest
// tag that will be used.
PrefixedSink make_sink(const JobFile& file, const std::vector<JobId>& selected, ColorMode color,
                       FdWriter& out, FdWriter& err)
{
  std::size_t width = 0;
  for (const JobId id : selected) {
    // A retried job's later attempts are tagged "name#2" .. "name#N".
    const unsigned retries = file.jobs[id].life().retries;
    const std::size_t tag = retries > 0 ? 1 + std::to_string(retries + 1).size() : 0;
    width = std::max(width, file.jobs[id].name.size() + tag);
  }
  return PrefixedSink(width, coloring_for(color, out, err), out, err);
}

} // namespace

std::string message_of(const std::exception& e)
{
  const bool ours = dynamic_cast<const Error*>(&e) != nullptr;
  return (ours ? std::string() : "fanout: error: ") + e.what() + "\n";
}

int run_jobs(JobFile file, const std::vector<JobId>& selected, const Options& options,
             FdWriter& out, FdWriter& err)
{
  PrefixedSink sink = make_sink(file, selected, options.color, out, err);
  // Function jobs' libraries are loaded before any job starts.
  const FunctionTable functions(file, selected);
  boost::asio::io_context io(1);
  PoolExecutor executor(io, options.pool, functions);
  int code = 2;
  try {
    Runner runner(io, executor, sink, err);
    const Report report = runner.run(std::move(file), selected, options);
    err.write(
      format_summary(report, options.quiet ? SummaryRows::failures_only : SummaryRows::all));
    code = exit_code_for(report);
  } catch (const std::exception& e) {
    err.write(message_of(e));
  }
  if (executor.abandoned_count() > 0) {
    // A thread cannot be stopped: leave without joining it, and without the
    // destructors, which would wait for it; no process outlives the run.
    executor.end_all_orphans();
    std::_Exit(code);
  }
  return code;
}

} // namespace fanout
