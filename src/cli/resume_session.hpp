// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "jobfile/job.hpp"
#include "output/console.hpp"
#include "run/resume_state.hpp"
#include "run/state_file.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fanout {

// The state file of a run, as the command line asks (fanout(1), RESUMING):
// found (`--state`, or .fanout/NAME.state beside the job file NAME), locked
// for the whole run, read, and written once the run is over. A run of a
// command after `--` or of a job file read from stdin has one only with
// `--state`. A plain run that finds the state locked by another run, or
// cannot create it beside its job file, runs without it, unrecorded.
class ResumeSession {
public:
  // Notes and warnings go to `console`. Throws fanout::Error (exit 2) when
  // --resume or --rerun-failed cannot have the state (another run has it,
  // it cannot be created), when a `--state` named cannot be used, or when
  // the file is not a state that fanout wrote.
  ResumeSession(const JobFile& file, const Options& options, Console& console);

  // The jobs to run of `selected` (as select_jobs gives them): all, or
  // with --rerun-failed those the state says did not succeed, with every
  // job they need. Empty, after saying so, when none did not.
  std::vector<JobId> jobs_to_run(const JobFile& file, const std::vector<JobId>& selected) const;

  // The state for the runner, or null when this run is not recorded.
  ResumeState* state() { return m_state ? &*m_state : nullptr; }

  // Writes the state after the run; a failure is a warning.
  void save();

private:
  // Takes the lock and reads the state; throws as the constructor says.
  void open(const JobFile& file, ResumeMode mode, bool named);

  Console& m_console;
  std::string m_path; // as messages name it
  // The same, absolute: a function job on a thread may change fanout's
  // current folder before the state is written.
  std::string m_file;
  std::optional<StateLock> m_lock;
  std::optional<ResumeState> m_state;
  bool m_has_earlier = false; // a state of an earlier run was read
  std::string m_read;         // its bytes: a run that leaves them so writes nothing
};

} // namespace fanout
