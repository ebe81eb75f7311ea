// SPDX-License-Identifier: MIT
// The seam between the executor and the ways to start a job.
#pragma once

#include "exec/executor.hpp"
#include "exec/spawn.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fanout {

class JobWatch;

// Starts jobs one way (a command as a child process, a function in a forked
// child, a job on a worker thread) and signals them. Everything else about
// a running job (its output, its timeout, its ending) is the JobWatch's,
// the same for every launcher. The executor picks one launcher per
// attempt. Called on the event loop only.
class Launcher {
public:
  virtual ~Launcher() = default;

  // Starts `attempt` and tells `watch` what it has to watch: the job's
  // output (JobWatch::read_pipes), its start (JobWatch::started), and
  // later, from the event loop, its end. Returns why the job could not
  // start, if it could not; `watch` has then been told nothing, and the
  // executor ends the attempt, or keeps it for later if the failure is a
  // shortage.
  virtual std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) = 0;

  // Sends `signal` to the job of `watch`, however the job takes it: to its
  // process group, or as a stop request. SIGKILL may abandon the job, and
  // so end `watch` before this returns; no other signal may end it.
  virtual void signal(JobWatch& watch, int signal) = 0;
};

// A launcher whose jobs are child processes of fanout that lead their own
// process groups: a signal goes to the whole group, so that it reaches what
// the job started (the commands of a `sh -c`).
class GroupLauncher : public Launcher {
public:
  void signal(JobWatch& watch, int signal) override;
};

// What a launcher keeps with a job it started, in the job's watch (a
// thread's shared state, a forked function's note); the launcher that
// made it is the one that reads it back.
class Launched {
public:
  virtual ~Launched() = default;

  // The job's own words on its end, read once its process has ended: the
  // message of an exception that ended a function. Empty by default.
  virtual std::string last_words() const { return {}; }

  // The watch lets the job go (it ended, or fanout is going away): the
  // job's code must not report to the event loop any more.
  virtual void forgotten() {}

  // Of the bytes `bytes` that the job's process wrote on `stream`, those
  // that are the job's output; at the stream's end (`at_end`, `bytes`
  // empty), what was held back. All of them by default; a launcher whose
  // process wraps the job (srun, ssh) keeps its own words out. The view lasts
  // until the next call.
  virtual std::string_view job_output(Stream, std::string_view bytes, bool /*at_end*/)
  {
    return bytes;
  }

  // The job's outcome, from the raw wait status of its process and how
  // fanout ended it, once both streams closed: outcome_of_exit by default;
  // a launcher whose process wraps the job (srun, ssh) tells the job's
  // status from the wrapper's, or says why the job could not run there.
  virtual Outcome outcome(int raw_status, Ending ending)
  {
    return outcome_of_exit(raw_status, ending);
  }
};

// A job's stdout and stderr pipes, both ends O_CLOEXEC: the write ends are
// for the job, the read ends for its watch.
struct JobPipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};

  void close_write_ends();
  void close_read_ends();
};

// Both pipes, or why they cannot be made (a shortage of descriptors).
std::variant<JobPipes, SpawnFailure> make_job_pipes();

// Spawns `request` (spawn_job) with the write ends of new job pipes as its
// stdout and stderr, in place of its `out_fd` and `err_fd`, and hands the
// child to `watch` (watch_child); `spawned`, if set, learns its pid first.
// Returns why it could not start, if it could not.
std::optional<SpawnFailure> spawn_watched(JobWatch& watch, SpawnRequest request,
                                          const std::function<void(pid_t)>& spawned = {});

// Hands a child process that fanout just started to `watch`: the read ends
// of `pipes`, the process as the job's, and a pidfd through which the event
// loop waits for it. Without a pidfd the process is killed and reaped, its
// read ends closed, and the failure returned.
std::optional<SpawnFailure> watch_child(JobWatch& watch, pid_t pid, JobPipes& pipes);

} // namespace fanout
