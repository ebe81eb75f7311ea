// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"
#include "cli/command_line_job.hpp"
#include "cli/function_program.hpp"
#include "cli/run_jobs.hpp"
#include "exec/resource_limits.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/selection.hpp"
#include "output/console.hpp"
#include "report/listing.hpp"

#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>

namespace {

// The libraries of the function jobs among `selected`, loaded before any
// job starts. fanout linked whole (CMakeLists.txt, FANOUT_STATIC) cannot
// load one: it hands a run with function jobs over to fanout-functions,
// linked with the shared runtimes the libraries need, and loads nothing.
fanout::FunctionTable
load_functions(const fanout::JobFile& file, const std::vector<fanout::JobId>& selected,
               [[maybe_unused]] char** argv, [[maybe_unused]] const std::string& jobfile_path,
               [[maybe_unused]] const std::optional<std::string>& read_once_text)
{
#ifdef FANOUT_FUNCTION_PROGRAM
  if (fanout::calls_functions(file, selected)) {
    fanout::hand_over_run(FANOUT_FUNCTION_PROGRAM, FANOUT_FUNCTION_PROGRAM_DIR, argv, jobfile_path,
                          read_once_text);
  }
  return {};
#else
  return {file, selected};
#endif
}

} // namespace

int main(int argc, char** argv)
{
  using namespace fanout;
  ensure_standard_fds();
  // Before fanout opens a descriptor: one of make's that is closed in
  // fanout could otherwise have the number of one of fanout's own.
  Jobserver jobserver(std::getenv("MAKEFLAGS"));
  // Before any thread starts; jobs get the limit back (job_descriptor_limit).
  raise_descriptor_limit();
  // A reader that goes away (`fanout | head`) must not end the run.
  std::signal(SIGPIPE, SIG_IGN);
  Console console(STDOUT_FILENO, STDERR_FILENO);
  const auto parsed = parse_command_line(argc, argv);
  if (const auto* exit = std::get_if<CommandLineExit>(&parsed)) {
    console.write(exit->stream, exit->text);
    return settle_output(console, exit->code);
  }
  const Options& options = std::get<Options>(parsed);
  try {
    std::optional<std::string> read_once_text;
    JobFile file = options.command.empty() ? load_jobfile(options.file, &read_once_text)
                                           : command_line_jobfile(options);
    const std::vector<JobId> selected = select_jobs(file, options.patterns);
    if (options.action != Action::run) {
      const Listing listing = options.action == Action::list ? Listing::names : Listing::commands;
      write_listing(file, selected, listing,
                    [&console](std::string_view line) { console.write(Stream::out, line); });
      return settle_output(console, 0);
    }
    const FunctionTable functions =
      load_functions(file, selected, argv, options.file, read_once_text);
    return run_jobs(std::move(file), selected, functions, options, console, jobserver);
  } catch (const std::exception& e) {
    console.write(Stream::err, message_of(e));
    return settle_output(console, 2);
  }
}
