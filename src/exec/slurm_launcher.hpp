// SPDX-License-Identifier: MIT
#pragma once

#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"
#include "jobfile/job.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace fanout {

class SlurmStep;

// The Slurm allocation fanout runs in (a shell of salloc, a batch script):
// its job id and how many tasks it may run at once.
struct SlurmAllocation {
  std::string job_id; // SLURM_JOB_ID
  std::size_t tasks;  // SLURM_NTASKS; 0 when unset
};

// The allocation of fanout's environment; throws Error, for exit code 2,
// when there is none (SLURM_JOB_ID unset): fanout does not allocate.
SlurmAllocation slurm_allocation();

// Runs each command job as a step of `allocation`: the loop's thread
// spawns `srun --exclusive -N1 -n1 --input=none --quiet -J NAME
// --chdir=DIR -- ARGV...` with the job's environment (srun exports it to
// the task), and its watch reads srun's stdout and stderr, out of which
// srun's lines on the task's end are kept (SrunReport), which the job's
// status is told from. fanout's own clock times the job: SIGTERM is
// `scancel --signal=TERM JOB.STEP` (the step found by its unique name with
// squeue), both run as child processes the loop does not wait on; SIGKILL
// is SIGTERM to srun, which kills the step, then SIGKILL to srun if it is
// still there after a while.
class SlurmLauncher : public Launcher {
public:
  SlurmLauncher(boost::asio::io_context& io, SlurmAllocation allocation);
  ~SlurmLauncher() override;
  SlurmLauncher(const SlurmLauncher&) = delete;
  SlurmLauncher& operator=(const SlurmLauncher&) = delete;

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override;
  void signal(JobWatch& watch, int signal) override;

private:
  // Looks up the steps of m_to_signal with squeue, then signals them.
  void look_up_steps();
  // Signals the steps the lookup's output `listing` names with scancel.
  void signal_steps(const std::string& listing);

  boost::asio::io_context& m_io;
  SlurmAllocation m_allocation;
  BaseEnvironment m_base_env;
  std::string m_run_name; // the start of every step's name: unique to this run
  // Steps to signal once squeue has listed them, with their signals.
  struct Pending {
    std::weak_ptr<SlurmStep> step;
    int signal;
  };
  std::vector<Pending> m_to_signal;
  bool m_looking_up = false;
  std::shared_ptr<bool> m_alive; // false once gone, for the tools' handlers
};

} // namespace fanout
