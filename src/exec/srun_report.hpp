// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "exec/spawn.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// What srun says on its stderr about the one task of a step it ran, read
// out of that stream, and the job's outcome told from it. srun exits with
// the task's code, 128+N for a task killed by signal N, the errno of an
// exec that failed, or 1 for a failure of its own; its lines tell these
// apart:
//   srun: error: NODE: task 0: Exited with exit code 3    the task exited
//   srun: error: NODE: task 0: Killed                     it died of a signal
//   slurmstepd-NODE: error: execve(): foo: No such ...    it could not run
//   srun: error: Unable to create step ...                srun's own failure
class SrunReport {
public:
  // For a step that runs `program`, as the job names it (slurmstepd names
  // it as it found it).
  explicit SrunReport(std::string program) : m_program(std::move(program)) {}

  // Of srun's stderr bytes `bytes`, those that are the job's: whole lines,
  // less srun's lines on the task's end, and an exec failure in fanout's
  // words ("fanout: program not found: foo") as a local job would have it.
  // With `at_end`, also the last line if it lacks a newline. The view lasts
  // until the next call.
  std::string_view job_output(std::string_view bytes, bool at_end);

  // The job's outcome from srun's raw wait status: the task's exit code, -N
  // for its signal N, an exec failure `error` 127 or 126, srun's own failure
  // `error` with srun's code; a srun killed by fanout as a process.
  Outcome outcome(int raw_status, Ending ending) const;

  // srun's own error, if it failed before the task ended: its first
  // "srun: error:" or "srun: fatal:" line that is not about the task.
  const std::string& srun_error() const { return m_srun_error; }

private:
  // Reads one whole line (without its newline): true if it is the job's.
  bool read_line(std::string_view line);

  std::string m_program;
  std::string m_partial; // the start of a line whose newline has not come
  std::string m_out;     // what the last call passes on
  bool m_task_ended = false;
  bool m_task_signalled = false;
  std::optional<SpawnFailure> m_exec_failure; // the task's program could not run
  std::string m_srun_error;
};

} // namespace fanout
