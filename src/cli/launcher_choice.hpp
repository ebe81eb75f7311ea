// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "exec/launcher.hpp"
#include "jobfile/job.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace fanout {

// Where the command jobs of a run start when not here, and how many of
// them may run at once there.
struct RemoteLaunch {
  std::unique_ptr<Launcher> launcher; // null: here
  std::size_t slots = 0;              // 0: -j alone decides
};

// The launcher `options` and `file` ask for: as Slurm steps
// (--launcher slurm, slots from SLURM_NTASKS), over SSH (--hosts, else the
// job file's [hosts], slots summed over the hosts), or none. Throws Error,
// for exit code 2 before any job runs, when one of `jobs` cannot start
// there (a function job, the thread pool) or there is no Slurm allocation.
// Its jobs' loop is `io`, which must outlive the launcher.
RemoteLaunch choose_launcher(const JobFile& file, const std::vector<JobId>& jobs,
                             const Options& options, boost::asio::io_context& io);

} // namespace fanout
