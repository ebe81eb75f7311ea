// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"
#include "output/fd_writer.hpp"
#include "jobfile/jobfile.hpp"
#include "report/listing.hpp"
#include "cli/run_jobs.hpp"
#include "jobfile/selection.hpp"

#include <csignal>
#include <unistd.h>

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
