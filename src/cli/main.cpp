// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"
#include "cli/command_line_job.hpp"
#include "cli/run_jobs.hpp"
#include "exec/resource_limits.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/selection.hpp"
#include "output/console.hpp"
#include "report/listing.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

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
    JobFile file =
      options.command.empty() ? load_jobfile(options.file) : command_line_jobfile(options);
    const std::vector<JobId> selected = select_jobs(file, options.patterns);
    if (options.action != Action::run) {
      const Listing listing = options.action == Action::list ? Listing::names : Listing::commands;
      write_listing(file, selected, listing,
                    [&console](std::string_view line) { console.write(Stream::out, line); });
      return settle_output(console, 0);
    }
    return run_jobs(std::move(file), selected, options, console, jobserver);
  } catch (const std::exception& e) {
    console.write(Stream::err, message_of(e));
    return settle_output(console, 2);
  }
}
