// SPDX-License-Identifier: MIT
// How PoolExecutor starts a job: in the process pool a child spawned (a
// command) or forked (a function job) by the event loop; in the thread pool
// a task for a worker thread, which reports back to the event loop.
#include "error.hpp"
#include "exec/launch_plan.hpp"
#include "exec/pool_executor.hpp"
#include "exec/pool_executor_state.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fanout {

namespace {

// Room for the message of an exception that ends a forked function job.
constexpr std::size_t k_note_size = 4096;

// How much of a function job's output may wait for the event loop before
// its writes wait in turn: what a pipe would hold.
constexpr std::size_t k_output_budget = 256 * 1024;

// Where a function job on a thread writes: each write is handed to `send`,
// which is false once the job was abandoned.
struct OutputCookie {
  std::function<bool(std::string)> send;
};

ssize_t write_to_job(void* cookie, const char* data, std::size_t size)
{
  // Nothing may unwind through stdio, which holds its stream's lock here.
  try {
    if (!static_cast<OutputCookie*>(cookie)->send(std::string(data, size))) {
      errno = EPIPE;
      return -1;
    }
  } catch (...) {
    errno = ENOMEM;
    return -1;
  }
  return static_cast<ssize_t>(size);
}


// A line-buffered stream on `cookie`: each whole line (or a full buffer)
// goes to the job's output as one piece.
FILE* open_output(OutputCookie& cookie)
{
  FILE* stream = ::fopencookie(&cookie, "w", {nullptr, &write_to_job, nullptr, nullptr});
  if (stream != nullptr) {
    std::setvbuf(stream, nullptr, _IOLBF, BUFSIZ);
  }
  return stream;
}

// A worker thread starts with every signal blocked (WorkerPool). A function
// runs as fanout does, with none blocked, and so does whatever it starts.
// The thread keeps that mask for its later jobs: a signal that reaches it
// runs fanout's handler, which only hands the signal to the event loop, as
// on any thread. Once per thread, not twice per job: those are system calls.
void unblock_signals_for_functions()
{
  thread_local bool unblocked = false;
  if (!unblocked) {
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    unblocked = true;
  }
}

// The cwd check that spawn_job makes for commands, for a function job,
// before it forks: its child can then only fail by the function's doing.
std::optional<SpawnFailure> check_cwd(const std::string& cwd)
{
  struct stat st;
  if (::stat(cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    const int error = ::stat(cwd.c_str(), &st) != 0 ? errno : ENOTDIR;
    return SpawnFailure{127, "cwd \"" + cwd + "\": " + std::strerror(error)};
  }
  return std::nullopt;
}

} // namespace

void PoolExecutor::start_process(const Attempt& attempt, Callbacks callbacks)
{
  const JobSpec& job = *attempt.job;
  const JobId id = attempt.id;
  const std::size_t slot = attempt.slot;
  const LaunchPlan plan(job, id, slot, m_base_env);
  if (job.call) {
    if (auto failure = check_cwd(job.cwd)) {
      fail_to_start(std::move(*failure), std::move(callbacks));
      return;
    }
  }
  const Pipe out = make_pipe();
  const Pipe err = make_pipe();
  std::unique_ptr<SharedNote> note;
  std::variant<pid_t, SpawnFailure> spawned;
  if (job.call) {
    note = std::make_unique<SharedNote>(k_note_size);
    const FunctionCall call{m_functions.at(id).function,
                            job.name.c_str(),
                            slot,
                            nullptr,
                            nullptr,
                            &job.call->args,
                            nullptr};
    spawned = fork_function_job(
      {call, job.cwd.c_str(), &plan.added(), out.write_end, err.write_end, note->span()});
  } else {
    spawned = spawn_job(plan.request(out.write_end, err.write_end));
  }
  ::close(out.write_end);
  ::close(err.write_end);
  if (auto* failure = std::get_if<SpawnFailure>(&spawned)) {
    ::close(out.read_end);
    ::close(err.read_end);
    fail_to_start(std::move(*failure), std::move(callbacks));
    return;
  }
  const pid_t pid = std::get<pid_t>(spawned);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error = errno;
    ::kill(-pid, SIGKILL);
    throw Error(std::string("fanout: error: pidfd_open: ") + std::strerror(error));
  }
  RunningJob& r = watch(attempt, std::move(callbacks), out.read_end, err.read_end);
  r.pid = pid;
  r.note = std::move(note);
  r.pidfd.emplace(m_io, pidfd);
  start_clock(r);
  wait_for_exit(r);
}

void PoolExecutor::start_on_thread(const Attempt& attempt, Callbacks callbacks)
{
  const JobSpec& job = *attempt.job;
  const JobId id = attempt.id;
  const std::size_t slot = attempt.slot;
  auto thread_job = std::make_shared<ThreadJob>();
  // The worker reports to the event loop through this, and only while the
  // loop still knows the job: once abandoned, it posts nothing (false).
  auto report = [this, id, thread_job](auto handler) {
    const std::lock_guard lock(thread_job->mutex);
    if (thread_job->abandoned) {
      return false;
    }
    m_inbox.post([this, id, thread_job, handler = std::move(handler)]() mutable {
      if (RunningJob* job = find(id, thread_job.get())) {
        handler(*job);
      }
    });
    return true;
  };
  if (job.call) {
    // A function's output needs no pipe: its streams hand what it writes
    // straight to the event loop, at most k_output_budget bytes ahead of it.
    RunningJob& r = add(attempt, std::move(callbacks));
    r.thread_job = thread_job;
    r.guard.emplace(m_io.get_executor());
    start_clock(r);
    auto send_to = [this, id, thread_job](Stream stream) {
      return OutputCookie{[this, id, thread_job, stream](std::string bytes) {
        std::unique_lock lock(thread_job->mutex);
        thread_job->drained.wait(lock, [&] {
          return thread_job->abandoned || thread_job->in_flight < k_output_budget;
        });
        if (thread_job->abandoned) {
          return false;
        }
        thread_job->in_flight += bytes.size();
        m_inbox.post([this, id, thread_job, stream, bytes = std::move(bytes)] {
          if (RunningJob* job = find(id, thread_job.get()); job && job->open[index_of(stream)]) {
            job->callbacks.on_output(stream, bytes);
          }
          const std::lock_guard lock(thread_job->mutex);
          thread_job->in_flight -= bytes.size();
          thread_job->drained.notify_all();
        });
        return true;
      }};
    };
    m_workers.submit([this, report, thread_job, function = m_functions.at(id).function,
                      name = job.name, call = job.call, slot, out_cookie = send_to(Stream::out),
                      err_cookie = send_to(Stream::err)]() mutable {
      FILE* out = open_output(out_cookie);
      FILE* err = open_output(err_cookie);
      FunctionResult result{1, "cannot open the job's output streams"};
      if (out != nullptr && err != nullptr) {
        unblock_signals_for_functions();
        result =
          run_function({function, name.c_str(), slot, out, err, &call->args, &thread_job->stop});
      }
      for (FILE* stream : {out, err}) {
        if (stream != nullptr) {
          std::fclose(stream);
        }
      }
      report([this, result](RunningJob& job) {
        close_stream(job, 0);
        close_stream(job, 1);
        job.exception = result.exception;
        on_process_exit(job, W_EXITCODE(result.code & 0xff, 0));
      });
      const std::lock_guard lock(thread_job->mutex);
      thread_job->finished = true;
    });
    return;
  }
  const Pipe out = make_pipe();
  const Pipe err = make_pipe();
  RunningJob& r = watch(attempt, std::move(callbacks), out.read_end, err.read_end);
  r.thread_job = thread_job;
  r.guard.emplace(m_io.get_executor());
  m_workers.submit([this, report, plan = std::make_shared<const LaunchPlan>(job, id, slot, m_base_env),
                    out_fd = out.write_end, err_fd = err.write_end] {
    const auto spawned = spawn_job(plan->request(out_fd, err_fd));
    if (const auto* failure = std::get_if<SpawnFailure>(&spawned)) {
      // Reported before the pipes close, so the message precedes their end.
      report([this, failure = *failure](RunningJob& job) { on_spawn_failure(job, failure); });
      ::close(out_fd);
      ::close(err_fd);
      return;
    }
    ::close(out_fd);
    ::close(err_fd);
    const pid_t pid = std::get<pid_t>(spawned);
    if (!report([this, pid](RunningJob& job) { on_spawned(job, pid); })) {
      // fanout is going away (an error ended the run): so does the job.
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      return;
    }
    // Waits for the end without reaping: the loop kills what is left of the
    // group, and what fanout adopted from the job, while the pid is still
    // the job's (PoolExecutor::reap). Waiting here also keeps this thread
    // alive as long as the process: the parent-death signal that spawn_job
    // set comes when the thread that started the process ends.
    siginfo_t info{};
    int rc = 0;
    while ((rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT)) < 0 &&
           errno == EINTR) {
    }
    if (rc < 0) {
      const SpawnFailure failure{127, std::string("cannot wait for the process: ") +
                                        std::strerror(errno)};
      report([this, failure](RunningJob& job) { on_spawn_failure(job, failure); });
      return;
    }
    report([this](RunningJob& job) { reap(job); });
  });
}

PoolExecutor::RunningJob* PoolExecutor::find(JobId id, const ThreadJob* thread_job)
{
  const auto it = m_running.find(id);
  return it != m_running.end() && it->second->thread_job.get() == thread_job ? it->second.get()
                                                                             : nullptr;
}

void PoolExecutor::on_spawned(RunningJob& job, pid_t pid)
{
  job.pid = pid;
  if (job.pending_signal != 0) {
    ::kill(-pid, job.pending_signal);
  }
  // A command's timeout counts from its start, as in the process pool, not
  // from when its worker was handed the job.
  start_clock(job);
}

void PoolExecutor::on_spawn_failure(RunningJob& job, const SpawnFailure& failure)
{
  if (job.open[1]) {
    job.callbacks.on_output(Stream::err, "fanout: " + failure.reason + "\n");
  }
  job.failure = failure_outcome(failure);
  job.guard.reset();
  job.phase = Phase::draining;
  arm_timer(job, k_drain_time);
  finish_if_done(job);
}

void PoolExecutor::abandon(RunningJob& job)
{
  job.thread_job->abandon();
  m_abandoned.push_back(job.thread_job);
  const Status status = job.ending == Ending::cancelled ? Status::cancelled
                        : job.ending == Ending::stopped ? Status::stopped
                                                        : Status::timeout;
  Outcome outcome(status);
  outcome.stop = Stop::abandoned;
  outcome.timeout = job.timeout;
  outcome.grace = job.grace;
  // Its writes from now on fail (EPIPE), and none reaches the output.
  close_stream(job, 0);
  close_stream(job, 1);
  job.timer.cancel();
  const auto node = m_running.extract(job.id);
  node.mapped()->callbacks.on_exit(outcome);
}

} // namespace fanout
