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

// What fanout prints for an error that ends it: fanout's own errors are
// whole messages; anything else (a system limit, no memory) gets the prefix.
std::string message_of(const std::exception& e)
{
  const bool ours = dynamic_cast<const fanout::Error*>(&e) != nullptr;
  return (ours ? std::string() : "fanout: error: ") + e.what() + "\n";
}

// Runs the selected jobs, prints the summary, and returns fanout's exit
// code. While a thread is still in an abandoned function it leaves at once
// instead, without running destructors under that thread's feet: nothing is
// buffered, FdWriter writes as it goes.
int run_jobs(fanout::JobFile file, const std::vector<fanout::JobId>& selected,
             const fanout::Options& options, fanout::FdWriter& out, fanout::FdWriter& err)
{
  using namespace fanout;
  PrefixedSink sink = make_sink(file, selected, options.color, out, err);
  // Function jobs' libraries are loaded before any job starts.
  const FunctionTable functions(file, selected);
  boost::asio::io_context io(1);
  PoolExecutor executor(io, options.pool, functions);
  int code = 2;
  try {
    Runner runner(io, executor, sink, err);
    const Report report = runner.run(std::move(file), selected, options);
    err.write(format_summary(report, options.quiet ? SummaryRows::failures_only : SummaryRows::all));
    code = exit_code_for(report);
  } catch (const std::exception& e) {
    err.write(message_of(e));
  }
  if (executor.abandoned_count() > 0) {
    std::_Exit(code);
  }
  return code;
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
    return run_jobs(std::move(file), selected, options, out, err);
  } catch (const std::exception& e) {
    err.write(message_of(e));
    return 2;
  }
}
