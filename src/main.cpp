// SPDX-License-Identifier: MIT
#include "fanout/cli.hpp"
#include "fanout/error.hpp"
#include "fanout/fd_writer.hpp"
#include "fanout/jobfile.hpp"
#include "fanout/listing.hpp"
#include "fanout/prefixed_sink.hpp"
#include "fanout/functions.hpp"
#include "fanout/pool_executor.hpp"
#include "fanout/report.hpp"
#include "fanout/runner.hpp"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace {

// The sink that tags each line with its job's name, padded to the longest
// name that will run. The copy of the names lives only while it is built.
fanout::PrefixedSink make_sink(const fanout::JobFile& file, const std::vector<fanout::JobId>& selected,
                               fanout::ColorMode color, fanout::FdWriter& out, fanout::FdWriter& err)
{
  std::vector<std::string> names;
  names.reserve(file.jobs.size());
  for (const fanout::JobSpec& job : file.jobs) {
    names.push_back(job.name);
  }
  std::size_t width = 0;
  for (const fanout::JobId id : selected) {
    width = std::max(width, names[id].size());
  }
  return fanout::PrefixedSink(names, width, fanout::coloring_for(color, out, err), out, err);
}

} // namespace

int main(int argc, char** argv)
{
  using namespace fanout;
  ensure_standard_fds();
  const auto parsed = parse_command_line(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) {
    return *code;
  }
  const Options& options = std::get<Options>(parsed);
  FdWriter out(STDOUT_FILENO);
  FdWriter err(STDERR_FILENO);
  // A reader that goes away (`fanout | head`) must not end the run.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    JobFile file = load_jobfile(options.file);
    const std::vector<JobId> selected = select_jobs(file, options.patterns);
    if (options.action != Action::run) {
      out.write(format_listing(file, selected, options.action));
      return 0;
    }
    PrefixedSink sink = make_sink(file, selected, options.color, out, err);
    // Function jobs' libraries are loaded before any job starts.
    const FunctionTable functions(file, selected);
    boost::asio::io_context io(1);
    PoolExecutor executor(io, options.pool, functions);
    Runner runner(io, executor, sink, err);
    const Report report = runner.run(std::move(file), selected, options);
    err.write(format_summary(report, options.quiet ? SummaryRows::failures_only : SummaryRows::all));
    const int code = exit_code_for(report);
    if (executor.abandoned_count() > 0) {
      // A thread is still in an abandoned function: leave without running
      // destructors under its feet. Nothing is buffered: FdWriter writes.
      std::_Exit(code);
    }
    return code;
  } catch (const Error& e) {
    err.write(std::string(e.what()) + "\n");
    return 2;
  }
}
