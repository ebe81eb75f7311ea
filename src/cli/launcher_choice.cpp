// SPDX-License-Identifier: MIT
#include "cli/launcher_choice.hpp"

#include "error.hpp"
#include "exec/slurm_launcher.hpp"
#include "exec/ssh_launcher.hpp"

#include <string>

namespace fanout {

namespace {

// Throws when one of `jobs` cannot start as its own process elsewhere,
// `where` (the option or table that asks for it): function jobs run only
// inside fanout, and so does the thread pool's work.
void check_remote_jobs(const JobFile& file, const std::vector<JobId>& jobs, Pool pool,
                       const std::string& where)
{
  if (pool == Pool::thread) {
    throw Error("fanout: error: " + where +
                " runs each job as a process of its own: --pool thread cannot be used with it");
  }
  for (const JobId id : jobs) {
    if (file.jobs[id].call) {
      throw Error("fanout: error: job \"" + file.jobs[id].name +
                  "\" calls a function, which runs only inside fanout: " + where +
                  " runs only commands (cmd, argv)");
    }
  }
}

} // namespace

RemoteLaunch choose_launcher(const JobFile& file, const std::vector<JobId>& jobs,
                             const Options& options, boost::asio::io_context& io)
{
  if (options.launcher == LauncherKind::slurm) {
    check_remote_jobs(file, jobs, options.pool, "--launcher slurm");
    SlurmAllocation allocation = slurm_allocation();
    const std::size_t tasks = allocation.tasks;
    return {std::make_unique<SlurmLauncher>(io, std::move(allocation)), tasks};
  }
  const std::vector<HostSpec>& hosts = options.hosts.empty() ? file.hosts : options.hosts;
  if (hosts.empty()) {
    return {};
  }
  check_remote_jobs(file, jobs, options.pool, options.hosts.empty() ? "[hosts]" : "--hosts");
  std::size_t slots = 0;
  for (const HostSpec& host : hosts) {
    slots += host.slots;
  }
  return {std::make_unique<SshLauncher>(hosts, ssh_command_from_environment()), slots};
}

} // namespace fanout
