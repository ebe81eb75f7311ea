// SPDX-License-Identifier: MIT
#include "exec/pool_executor.hpp"

#include "error.hpp"
#include "exec/pool_executor_state.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fanout {

Pipe make_pipe()
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(std::string("fanout: error: cannot create a pipe: ") + std::strerror(errno));
  }
  return {fds[0], fds[1]};
}

SharedNote::SharedNote(std::size_t size)
    : data(::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)),
      size(size)
{
  if (data == MAP_FAILED) {
    throw Error(std::string("fanout: error: cannot map memory: ") + std::strerror(errno));
  }
  static_cast<char*>(data)[0] = '\0';
}

SharedNote::~SharedNote()
{
  ::munmap(data, size);
}

PoolExecutor::PoolExecutor(asio::io_context& io, Pool pool, const FunctionTable& functions)
    : m_io(io), m_pool(pool), m_functions(functions), m_inbox(io)
{
}

PoolExecutor::~PoolExecutor()
{
  // Only reached with jobs still running when the run is abandoned on an
  // error; no process may outlive fanout (m_subreaper, destroyed last, then
  // reaps these and kills what fanout adopted), and no worker may post to a
  // loop that is going away.
  for (const auto& [id, job] : m_running) {
    if (job->pid > 0 && !job->raw_status) {
      ::kill(-job->pid, SIGKILL);
    }
    if (job->thread_job) {
      job->thread_job->abandon();
    }
  }
}

std::size_t PoolExecutor::abandoned_count() const
{
  return static_cast<std::size_t>(std::count_if(m_abandoned.begin(), m_abandoned.end(),
                                                [](const std::shared_ptr<ThreadJob>& job) {
                                                  const std::lock_guard lock(job->mutex);
                                                  return !job->finished;
                                                }));
}

void PoolExecutor::start(const Attempt& attempt, Callbacks callbacks)
{
  if (attempt.job->call) {
    const FunctionTable::Entry& entry = m_functions.at(attempt.id);
    if (!entry.problem.empty()) {
      fail_to_start({127, entry.problem}, std::move(callbacks));
      return;
    }
  }
  if (m_pool == Pool::process) {
    start_process(attempt, std::move(callbacks));
  } else {
    start_on_thread(attempt, std::move(callbacks));
  }
}

PoolExecutor::RunningJob& PoolExecutor::add(const Attempt& attempt, Callbacks callbacks)
{
  auto running = std::make_unique<RunningJob>(m_io, attempt, std::move(callbacks));
  RunningJob& r = *running;
  m_running.emplace(attempt.id, std::move(running));
  return r;
}

void PoolExecutor::start_clock(RunningJob& job)
{
  if (job.phase == Phase::running && job.timeout > Duration::zero()) {
    arm_timer(job, job.timeout);
  }
}

PoolExecutor::RunningJob& PoolExecutor::watch(const Attempt& attempt, Callbacks callbacks,
                                              int out_fd, int err_fd)
{
  RunningJob& r = add(attempt, std::move(callbacks));
  r.pipes[0].assign(out_fd);
  r.pipes[1].assign(err_fd);
  for (auto& buffer : r.buffers) {
    buffer = std::make_unique_for_overwrite<char[]>(k_read_size);
  }
  read(r, Stream::out);
  read(r, Stream::err);
  return r;
}

void PoolExecutor::fail_to_start(SpawnFailure failure, Callbacks callbacks)
{
  // Reported from the event loop, never from inside start(), so the runner
  // sees every job end the same way.
  asio::post(m_io, [failure = std::move(failure), callbacks = std::move(callbacks)] {
    callbacks.on_output(Stream::err, "fanout: " + failure.reason + "\n");
    callbacks.on_close(Stream::out);
    callbacks.on_close(Stream::err);
    callbacks.on_exit(failure_outcome(failure));
  });
}

void PoolExecutor::read(RunningJob& job, Stream stream)
{
  const std::size_t s = index_of(stream);
  job.pipes[s].async_read_some(
    asio::buffer(job.buffers[s].get(), job.buffer_sizes[s]),
    [this, id = job.id, stream, s](const boost::system::error_code& ec, std::size_t n) {
      const auto it = m_running.find(id);
      if (it == m_running.end() || !it->second->open[s]) {
        return;
      }
      RunningJob& job = *it->second;
      if (n > 0) {
        job.callbacks.on_output(stream, std::string_view(job.buffers[s].get(), n));
      }
      if (n == k_read_size && job.buffer_sizes[s] == k_read_size) {
        grow(job, s);
      }
      if (!ec && m_output_held) {
        job.held[s] = true;
        return;
      }
      if (!ec) {
        read(job, stream);
        return;
      }
      close_stream(job, s);
      finish_if_done(job);
    });
}

void PoolExecutor::hold_output(bool held)
{
  m_output_held = held;
  if (held) {
    return;
  }
  for (const auto& [id, job] : m_running) {
    for (const Stream stream : {Stream::out, Stream::err}) {
      const std::size_t s = index_of(stream);
      if (job->held[s] && job->open[s]) {
        job->held[s] = false;
        read(*job, stream);
      }
    }
  }
}

void PoolExecutor::close_stream(RunningJob& job, std::size_t s)
{
  if (job.open[s]) {
    job.open[s] = false;
    if (job.pipes[s].is_open()) {
      job.pipes[s].close();
    }
    job.callbacks.on_close(s == 0 ? Stream::out : Stream::err);
  }
}

void PoolExecutor::grow(RunningJob& job, std::size_t s)
{
  // Refused past the quota (EPERM): the stream then keeps its default pipe.
  if (::fcntl(job.pipes[s].native_handle(), F_SETPIPE_SZ, static_cast<int>(k_large_read_size)) >=
      0) {
    job.buffers[s] = std::make_unique_for_overwrite<char[]>(k_large_read_size);
    job.buffer_sizes[s] = k_large_read_size;
  }
}

void PoolExecutor::wait_for_exit(RunningJob& job)
{
  // Boost.Process's async_wait is not used: after the pidfd reports ready it
  // calls a blocking waitpid, and Asio can report a descriptor ready that is
  // not (its state objects are recycled while a readiness is still queued),
  // which would block the whole event loop on a running job. Here a wake-up
  // without an exit only waits again.
  job.pidfd->async_wait(asio::posix::descriptor_base::wait_read,
                        [this, id = job.id](const boost::system::error_code& ec) {
                          const auto it = m_running.find(id);
                          if (ec || it == m_running.end()) {
                            return;
                          }
                          RunningJob& job = *it->second;
                          siginfo_t info{};
                          const int rc =
                            ::waitid(P_PID, static_cast<id_t>(job.pid), &info,
                                     WEXITED | WNOHANG | WNOWAIT);
                          if (rc < 0 && errno != EINTR) {
                            throw Error(std::string("fanout: error: waitid: ") +
                                        std::strerror(errno));
                          }
                          if (rc < 0 || info.si_pid == 0) {
                            wait_for_exit(job);
                            return;
                          }
                          job.pidfd->close();
                          reap(job);
                        });
}

void PoolExecutor::reap(RunningJob& job)
{
  // The process has ended but is not reaped yet, so its pid, and with it
  // the group id, cannot be anyone else's: whatever the job left behind in
  // its group goes with it now, with what fanout adopted from the job, and
  // only then is the pid given back.
  ::kill(-job.pid, SIGKILL);
  std::vector<pid_t> job_processes;
  for (const auto& [id, running] : m_running) {
    if (running->pid > 0 && !running->raw_status) {
      job_processes.push_back(running->pid);
    }
  }
  std::sort(job_processes.begin(), job_processes.end());
  // FANOUT_JOB_INDEX is 1-based (LaunchPlan).
  m_subreaper.end_orphans_of({job.pid, job.id + 1, job.name}, job_processes);
  int status = 0;
  while (::waitpid(job.pid, &status, 0) < 0 && errno == EINTR) {
  }
  on_process_exit(job, status);
}

void PoolExecutor::on_process_exit(RunningJob& job, int raw_status)
{
  job.raw_status = raw_status;
  job.guard.reset();
  if (job.note) {
    job.exception = job.note->span().data();
    job.note.reset();
  }
  job.phase = Phase::draining;
  if (job.open[0] || job.open[1]) {
    arm_timer(job, k_drain_time);
  }
  finish_if_done(job);
}

void PoolExecutor::arm_timer(RunningJob& job, Duration after)
{
  const int epoch = ++job.timer_epoch;
  job.timer.expires_after(after);
  job.timer.async_wait([this, id = job.id, epoch](const boost::system::error_code& ec) {
    if (!ec) {
      on_timer(id, epoch);
    }
  });
}

void PoolExecutor::on_timer(JobId id, int epoch)
{
  const auto it = m_running.find(id);
  if (it == m_running.end() || it->second->timer_epoch != epoch) {
    return;
  }
  RunningJob& job = *it->second;
  switch (job.phase) {
  case Phase::running:
    job.ending = Ending::timed_out;
    job.phase = Phase::terminating;
    arm_timer(job, job.grace);
    signal_job(job, SIGTERM);
    break;
  case Phase::terminating:
    job.sent_kill = true;
    job.phase = Phase::killing;
    signal_job(job, SIGKILL); // may abandon, and so forget, the job
    break;
  case Phase::killing:
    break;
  case Phase::draining:
    if (job.held[0] || job.held[1]) {
      // Its output waits for the console, not for a stray process.
      arm_timer(job, k_drain_time);
      break;
    }
    close_stream(job, 0);
    close_stream(job, 1);
    finish_if_done(job);
    break;
  }
}

void PoolExecutor::signal_job(RunningJob& job, int signal)
{
  if (job.pid > 0) {
    ::kill(-job.pid, signal);
  } else if (!job.is_function) {
    // Its worker has not reported the pid yet: on_spawned sends it.
    if (job.pending_signal != SIGKILL) {
      job.pending_signal = signal;
    }
  } else if (signal == SIGKILL) {
    abandon(job);
  } else {
    job.thread_job->stop = true;
  }
}

void PoolExecutor::finish_if_done(RunningJob& job)
{
  if ((!job.raw_status && !job.failure) || job.open[0] || job.open[1]) {
    return;
  }
  Outcome outcome = job.failure ? *job.failure : outcome_of_exit(*job.raw_status, job.ending);
  if (!job.failure && job.ending != Ending::natural) {
    // A function on a thread was asked to stop, not signalled.
    const bool on_thread = job.is_function && job.pid == 0;
    outcome.stop = job.sent_kill ? Stop::kill : on_thread ? Stop::request : Stop::term;
    outcome.timeout = job.timeout;
    outcome.grace = job.grace;
  }
  if (!job.failure) {
    outcome.message = job.exception;
  }
  job.timer.cancel();
  const auto node = m_running.extract(job.id);
  node.mapped()->callbacks.on_exit(std::move(outcome));
}

void PoolExecutor::end_early(RunningJob& job, Ending why, int signal)
{
  if (job.phase == Phase::draining || has_exited(job)) {
    return;
  }
  if (job.ending == Ending::natural) {
    job.ending = why;
  }
  if (signal == SIGKILL) {
    job.sent_kill = true;
    job.phase = Phase::killing;
    ++job.timer_epoch;
    job.timer.cancel();
  } else if (job.phase == Phase::running) {
    job.phase = Phase::terminating;
    arm_timer(job, job.grace);
  } else {
    return; // already terminating: its grace timer sends SIGKILL
  }
  signal_job(job, signal);
}

bool PoolExecutor::has_exited(const RunningJob& job)
{
  // Its exit may be known to the kernel (process pool: not reaped yet) or
  // reaped by its worker (thread pool: the news not posted yet) before the
  // loop hears of it: a job that ended by itself keeps its own ending.
  if (job.pid <= 0) {
    return false;
  }
  siginfo_t info{};
  const int rc = ::waitid(P_PID, static_cast<id_t>(job.pid), &info, WEXITED | WNOHANG | WNOWAIT);
  return (rc == 0 && info.si_pid != 0) || (rc < 0 && errno == ECHILD);
}

void PoolExecutor::terminate(JobId id, Ending why)
{
  if (const auto it = m_running.find(id); it != m_running.end()) {
    end_early(*it->second, why, SIGTERM);
  }
}

void PoolExecutor::cancel_all(int signal)
{
  std::vector<JobId> ids;
  for (const auto& [id, job] : m_running) {
    ids.push_back(id);
  }
  for (const JobId id : ids) {
    // Ending one may abandon, and so forget, it: look each up again.
    if (const auto it = m_running.find(id); it != m_running.end()) {
      end_early(*it->second, Ending::cancelled, signal);
    }
  }
}

} // namespace fanout
