// SPDX-License-Identifier: MIT
#include "exec/job_watch.hpp"

#include "error.hpp"
#include "exec/launcher.hpp"
#include "exec/pool_executor.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fanout {

namespace asio = boost::asio;

JobWatch* WatchRef::get() const
{
  return owner->find(id, serial);
}

JobWatch::JobWatch(PoolExecutor& owner, std::uint64_t serial, const Attempt& attempt,
                   Executor::Callbacks callbacks, Launcher& launcher)
    : m_owner(owner), m_serial(serial), m_attempt(attempt), m_callbacks(std::move(callbacks)),
      m_launcher(launcher), m_pipes{asio::posix::stream_descriptor(owner.m_io),
                                    asio::posix::stream_descriptor(owner.m_io)},
      m_timer(owner.m_io)
{
}

JobWatch::~JobWatch()
{
  if (has_live_process()) {
    ::kill(-m_pid, SIGKILL);
  }
  if (m_launched) {
    m_launched->forgotten();
  }
}

WatchRef JobWatch::ref() const
{
  return {&m_owner, m_attempt.id, m_serial};
}

void JobWatch::read_pipes(int out_fd, int err_fd)
{
  m_pipes[0].assign(out_fd);
  m_pipes[1].assign(err_fd);
  // Only a job with pipes has read buffers: a function on a thread hands
  // over its output without them.
  for (auto& buffer : m_buffers) {
    buffer = std::make_unique_for_overwrite<char[]>(k_read_size);
  }
  read(Stream::out);
  read(Stream::err);
}

void JobWatch::read(Stream stream)
{
  const std::size_t s = index_of(stream);
  m_pipes[s].async_read_some(
    asio::buffer(m_buffers[s].get(), m_buffer_sizes[s]),
    [ref = ref(), stream](const boost::system::error_code& ec, std::size_t n) {
      const std::size_t s = index_of(stream);
      JobWatch* watch = ref.get();
      if (watch == nullptr || !watch->m_open[s]) {
        return;
      }
      if (n > 0) {
        watch->deliver(stream, std::string_view(watch->m_buffers[s].get(), n), false);
      }
      if (n == k_read_size && watch->m_buffer_sizes[s] == k_read_size) {
        watch->grow(s);
      }
      if (!ec && watch->m_owner.m_output_held) {
        watch->m_held[s] = true;
        return;
      }
      if (!ec) {
        watch->read(stream);
        return;
      }
      watch->close_stream(s);
      watch->finish_if_done();
    });
}

void JobWatch::resume_output()
{
  for (const Stream stream : {Stream::out, Stream::err}) {
    const std::size_t s = index_of(stream);
    if (m_held[s] && m_open[s]) {
      m_held[s] = false;
      read(stream);
    }
  }
}

void JobWatch::grow(std::size_t s)
{
  // Refused past the quota (EPERM): the stream then keeps its default pipe.
  if (::fcntl(m_pipes[s].native_handle(), F_SETPIPE_SZ, static_cast<int>(k_large_read_size)) >= 0) {
    m_buffers[s] = std::make_unique_for_overwrite<char[]>(k_large_read_size);
    m_buffer_sizes[s] = k_large_read_size;
  }
}

void JobWatch::deliver(Stream stream, std::string_view bytes, bool at_end)
{
  const std::string_view output =
    m_launched ? m_launched->job_output(stream, bytes, at_end) : bytes;
  if (!output.empty()) {
    m_callbacks.on_output(stream, output);
  }
}

void JobWatch::close_stream(std::size_t s)
{
  if (m_open[s]) {
    m_open[s] = false;
    deliver(s == 0 ? Stream::out : Stream::err, {}, true);
    if (m_pipes[s].is_open()) {
      m_pipes[s].close();
    }
    m_callbacks.on_close(s == 0 ? Stream::out : Stream::err);
  }
}

void JobWatch::close_streams()
{
  close_stream(0);
  close_stream(1);
}

void JobWatch::output(Stream stream, std::string_view bytes)
{
  if (m_open[index_of(stream)]) {
    m_callbacks.on_output(stream, bytes);
  }
}

void JobWatch::started(pid_t pid)
{
  m_pid = pid;
  if (m_phase == Phase::running && m_attempt.timeout > Duration::zero()) {
    arm_timer(m_attempt.timeout);
  }
}

void JobWatch::keep_loop_running()
{
  m_guard.emplace(m_owner.m_io.get_executor());
}

void JobWatch::wait_for_exit(int pidfd)
{
  m_pidfd.emplace(m_owner.m_io, pidfd);
  await_exit();
}

void JobWatch::await_exit()
{
  // Boost.Process's async_wait is not used: after the pidfd reports ready it
  // calls a blocking waitpid, and Asio can report a descriptor ready that is
  // not (its state objects are recycled while a readiness is still queued),
  // which would block the whole event loop on a running job. Here a wake-up
  // without an exit only waits again; waitid with WNOWAIT leaves the
  // process unreaped, for process_exited().
  m_pidfd->async_wait(
    asio::posix::descriptor_base::wait_read, [ref = ref()](const boost::system::error_code& ec) {
      JobWatch* watch = ref.get();
      if (ec || watch == nullptr) {
        return;
      }
      siginfo_t info{};
      const int rc =
        ::waitid(P_PID, static_cast<id_t>(watch->m_pid), &info, WEXITED | WNOHANG | WNOWAIT);
      if (rc < 0 && errno != EINTR) {
        throw Error(std::string("fanout: error: waitid: ") + std::strerror(errno));
      }
      if (rc < 0 || info.si_pid == 0) {
        watch->await_exit();
        return;
      }
      watch->m_pidfd->close();
      watch->process_exited();
    });
}

void JobWatch::process_exited()
{
  // The process has ended but is not reaped yet, so its pid, and with it
  // the group id, cannot be anyone else's: whatever the job left behind in
  // its group goes with it now, with what fanout adopted from the job, and
  // only then is the pid given back.
  ::kill(-m_pid, SIGKILL);
  m_owner.end_orphans_of(*this);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  ended(status, m_launched ? m_launched->last_words() : std::string());
}

void JobWatch::ended(int raw_status, std::string message)
{
  m_raw_status = raw_status;
  m_message = std::move(message);
  m_guard.reset();
  m_phase = Phase::draining;
  if (m_open[0] || m_open[1]) {
    arm_timer(k_drain_time);
  }
  finish_if_done();
}

void JobWatch::not_started(const SpawnFailure& failure)
{
  if (failure.is_shortage && m_owner.defer(*this, failure)) {
    return;
  }
  if (m_open[1]) {
    m_callbacks.on_output(Stream::err, "fanout: " + failure.reason + "\n");
  }
  m_failure = failure_outcome(failure);
  m_guard.reset();
  m_phase = Phase::draining;
  arm_timer(k_drain_time);
  finish_if_done();
}

void JobWatch::abandon()
{
  const Status status = m_ending == Ending::cancelled ? Status::cancelled
                        : m_ending == Ending::stopped ? Status::stopped
                                                      : Status::timeout;
  Outcome outcome(status);
  outcome.stop = Stop::abandoned;
  outcome.timeout = m_attempt.timeout;
  outcome.grace = m_attempt.grace;
  // What it writes from now on reaches no one (its launcher makes those
  // writes fail).
  close_streams();
  m_timer.cancel();
  m_owner.forget(*this, std::move(outcome));
}

void JobWatch::arm_timer(Duration after)
{
  const int epoch = ++m_timer_epoch;
  m_timer.expires_after(after);
  m_timer.async_wait([ref = ref(), epoch](const boost::system::error_code& ec) {
    JobWatch* watch = ref.get();
    if (!ec && watch != nullptr && watch->m_timer_epoch == epoch) {
      watch->on_timer();
    }
  });
}

void JobWatch::on_timer()
{
  switch (m_phase) {
  case Phase::running:
    m_ending = Ending::timed_out;
    m_phase = Phase::terminating;
    arm_timer(m_attempt.grace);
    send(SIGTERM);
    break;
  case Phase::terminating:
    m_sent_kill = true;
    m_phase = Phase::killing;
    send(SIGKILL); // may abandon, and so end, this watch
    break;
  case Phase::killing:
    break;
  case Phase::draining:
    if (m_held[0] || m_held[1]) {
      // Its output waits for the console, not for a stray process.
      arm_timer(k_drain_time);
      break;
    }
    close_streams();
    finish_if_done();
    break;
  }
}

void JobWatch::send(int signal)
{
  m_launcher.signal(*this, signal);
  // A stopped process acts on no signal but SIGKILL until it is continued:
  // SIGCONT follows, as timeout(1) sends it, so that a job stopped with
  // SIGSTOP still gets its grace to end.
  if (signal != SIGKILL) {
    m_launcher.signal(*this, SIGCONT);
  }
}

void JobWatch::end_early(Ending why, int signal)
{
  if (m_phase == Phase::draining || has_exited()) {
    return;
  }
  if (m_ending == Ending::natural) {
    m_ending = why;
  }
  if (signal == SIGKILL) {
    m_sent_kill = true;
    m_phase = Phase::killing;
    ++m_timer_epoch;
    m_timer.cancel();
  } else if (m_phase == Phase::running) {
    m_phase = Phase::terminating;
    arm_timer(m_attempt.grace);
  } else {
    return; // already terminating: its grace timer sends SIGKILL
  }
  send(signal); // SIGKILL may abandon, and so end, this watch
}

bool JobWatch::has_exited() const
{
  // Its exit may be known to the kernel before the loop hears of it (the
  // wake-up of its pidfd, or its worker's report, still on the way): a job
  // that ended by itself keeps its own ending.
  if (m_pid <= 0) {
    return false;
  }
  siginfo_t info{};
  const int rc = ::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT);
  return (rc == 0 && info.si_pid != 0) || (rc < 0 && errno == ECHILD);
}

void JobWatch::finish_if_done()
{
  if ((!m_raw_status && !m_failure) || m_open[0] || m_open[1]) {
    return;
  }
  Outcome outcome = m_failure    ? *m_failure
                    : m_launched ? m_launched->outcome(*m_raw_status, m_ending)
                                 : outcome_of_exit(*m_raw_status, m_ending);
  if (!m_failure && m_ending != Ending::natural) {
    // A job without a process of its own (a function on a thread) was asked
    // to stop, not signalled.
    outcome.stop = m_sent_kill ? Stop::kill : m_pid == 0 ? Stop::request : Stop::term;
    outcome.timeout = m_attempt.timeout;
    outcome.grace = m_attempt.grace;
  }
  if (!m_failure && !m_message.empty()) {
    outcome.message = std::move(m_message);
  }
  m_timer.cancel();
  m_owner.forget(*this, std::move(outcome));
}

} // namespace fanout
