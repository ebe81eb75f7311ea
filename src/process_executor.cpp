// SPDX-License-Identifier: MIT
#include "fanout/process_executor.hpp"

#include "fanout/duration.hpp"
#include "fanout/error.hpp"
#include "fanout/spawn.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/process/v2/process.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace bp2 = boost::process::v2;

extern char** environ;

namespace fanout {

namespace {

using Process = bp2::basic_process<asio::io_context::executor_type>;

// How long a job's pipes may stay open after its process ended and its
// process group was killed. Only a process that left the group (setsid) can
// hold them that long; we stop reading rather than wait for it.
constexpr Duration k_drain_time = std::chrono::seconds(1);

// Reads start at the size of a default pipe. A stream that fills a whole read
// is a heavy writer: its pipe and read buffer grow to k_large_read_size, so
// it wakes fanout (and fanout it) four times less often. Only such streams
// grow, because enlarged pipes count against the user's pipe-buffer quota.
constexpr std::size_t k_read_size = 64 * 1024;
constexpr std::size_t k_large_read_size = 256 * 1024;

constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

std::size_t index_of(Stream stream)
{
  return stream == Stream::out ? 0 : 1;
}

std::string_view key_of(std::string_view entry)
{
  return entry.substr(0, entry.find('='));
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

Pipe make_pipe()
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(std::string("fanout: error: cannot create a pipe: ") + std::strerror(errno));
  }
  return {fds[0], fds[1]};
}

} // namespace

// Where a job is in its life; each timer expiry moves it on.
enum class Phase {
  running,     // the timer, if armed, is the job's timeout
  terminating, // SIGTERM sent; the timer is the grace period
  killing,     // SIGKILL sent; no timer
  draining,    // the process ended; the timer bounds the wait for pipe EOF
};

struct ProcessExecutor::RunningJob {
  RunningJob(asio::io_context& io, JobId job_id, pid_t job_pid, int pidfd, const JobSpec& job,
             Callbacks job_callbacks)
    : id(job_id), pid(job_pid), callbacks(std::move(job_callbacks)),
      process(io.get_executor(), job_pid, pidfd), pipes{asio::posix::stream_descriptor(io),
                                                        asio::posix::stream_descriptor(io)},
      timer(io), timeout(job.timeout.value_or(Duration::zero())),
      grace(job.grace.value_or(Duration::zero()))
  {
  }

  JobId id;
  pid_t pid; // also the process group id
  Callbacks callbacks;
  Process process;
  std::array<asio::posix::stream_descriptor, 2> pipes;
  std::array<std::unique_ptr<char[]>, 2> buffers{std::make_unique_for_overwrite<char[]>(k_read_size),
                                                 std::make_unique_for_overwrite<char[]>(k_read_size)};
  std::array<std::size_t, 2> buffer_sizes{k_read_size, k_read_size};
  std::array<bool, 2> open{true, true};
  asio::steady_timer timer;
  int timer_epoch = 0; // tells a current expiry from a stale one
  Phase phase = Phase::running;
  Ending ending = Ending::natural;
  bool sent_kill = false;
  std::optional<int> raw_status;
  Duration timeout;
  Duration grace;
};

ProcessExecutor::ProcessExecutor(asio::io_context& io) : m_io(io)
{
  for (char** entry = environ; *entry != nullptr; ++entry) {
    m_base_env.emplace_back(*entry);
  }
}

ProcessExecutor::~ProcessExecutor()
{
  // Only reached with jobs still running when the run is abandoned on an
  // error; no job may outlive fanout.
  for (const auto& [id, job] : m_running) {
    if (!job->raw_status) {
      ::kill(-job->pid, SIGKILL);
    }
  }
}

void ProcessExecutor::start(JobId id, const JobSpec& job, std::size_t slot, Callbacks callbacks)
{
  std::vector<std::string> extra;
  extra.reserve(job.env.size() + 3);
  for (const auto& [key, value] : job.env) {
    extra.push_back(key + "=" + value);
  }
  extra.push_back("FANOUT_JOB_NAME=" + job.name);
  extra.push_back("FANOUT_JOB_INDEX=" + std::to_string(id + 1));
  extra.push_back("FANOUT_SLOT=" + std::to_string(slot));

  // The job's environment: ours, minus what the job sets, plus what it sets.
  // A key set twice by the job keeps its last value.
  std::vector<const char*> envp;
  envp.reserve(m_base_env.size() + extra.size() + 1);
  std::string_view path = k_default_path;
  auto is_overridden = [&](std::string_view key, std::size_t from) {
    for (std::size_t i = from; i < extra.size(); ++i) {
      if (key_of(extra[i]) == key) {
        return true;
      }
    }
    return false;
  };
  for (const std::string& entry : m_base_env) {
    if (!is_overridden(key_of(entry), 0)) {
      envp.push_back(entry.c_str());
      if (key_of(entry) == "PATH") {
        path = std::string_view(entry).substr(5);
      }
    }
  }
  for (std::size_t i = 0; i < extra.size(); ++i) {
    if (!is_overridden(key_of(extra[i]), i + 1)) {
      envp.push_back(extra[i].c_str());
      if (key_of(extra[i]) == "PATH") {
        path = std::string_view(extra[i]).substr(5);
      }
    }
  }
  envp.push_back(nullptr);

  std::vector<const char*> argv;
  if (!job.cmd.empty()) {
    argv = {"/bin/sh", "-c", job.cmd.c_str()};
  } else {
    for (const std::string& arg : job.argv) {
      argv.push_back(arg.c_str());
    }
  }
  argv.push_back(nullptr);

  const Pipe out = make_pipe();
  const Pipe err = make_pipe();
  auto spawned = spawn_job({argv.data(), envp.data(), path, job.cwd.c_str(), out.write_end, err.write_end});
  ::close(out.write_end);
  ::close(err.write_end);
  if (auto* failure = std::get_if<SpawnFailure>(&spawned)) {
    ::close(out.read_end);
    ::close(err.read_end);
    fail_to_start(std::move(failure->reason), failure->code, std::move(callbacks));
    return;
  }
  const pid_t pid = std::get<pid_t>(spawned);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error = errno;
    ::kill(-pid, SIGKILL);
    throw Error(std::string("fanout: error: pidfd_open: ") + std::strerror(error));
  }

  auto running = std::make_unique<RunningJob>(m_io, id, pid, pidfd, job, std::move(callbacks));
  RunningJob& r = *running;
  m_running.emplace(id, std::move(running));
  r.pipes[0].assign(out.read_end);
  r.pipes[1].assign(err.read_end);
  read(r, Stream::out);
  read(r, Stream::err);
  r.process.async_wait([this, id](bp2::error_code, int) {
    const auto it = m_running.find(id);
    if (it != m_running.end()) {
      on_process_exit(id, it->second->process.native_exit_code());
    }
  });
  if (r.timeout > Duration::zero()) {
    arm_timer(r, r.timeout);
  }
}

void ProcessExecutor::fail_to_start(std::string reason, int code, Callbacks callbacks)
{
  // Reported from the event loop, never from inside start(), so the runner
  // sees every job end the same way.
  asio::post(m_io, [reason = std::move(reason), code, callbacks = std::move(callbacks)] {
    callbacks.on_output(Stream::err, "fanout: " + reason + "\n");
    callbacks.on_close(Stream::out);
    callbacks.on_close(Stream::err);
    callbacks.on_exit(Outcome{Status::error, code, reason});
  });
}

void ProcessExecutor::read(RunningJob& job, Stream stream)
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
      if (!ec) {
        read(job, stream);
        return;
      }
      job.open[s] = false;
      job.pipes[s].close();
      job.callbacks.on_close(stream);
      finish_if_done(job);
    });
}

void ProcessExecutor::grow(RunningJob& job, std::size_t s)
{
  // Refused past the quota (EPERM): the stream then keeps its default pipe.
  if (::fcntl(job.pipes[s].native_handle(), F_SETPIPE_SZ, static_cast<int>(k_large_read_size)) >= 0) {
    job.buffers[s] = std::make_unique_for_overwrite<char[]>(k_large_read_size);
    job.buffer_sizes[s] = k_large_read_size;
  }
}

void ProcessExecutor::on_process_exit(JobId id, int raw_status)
{
  RunningJob& job = *m_running.at(id);
  job.raw_status = raw_status;
  // The pid is reaped: forget it, or Boost's destructor might signal a new
  // process that reused it.
  job.process.detach();
  // Whatever the job left behind in its group goes with it. The group id
  // stays reserved while any member lives, so this cannot hit a stranger.
  ::kill(-job.pid, SIGKILL);
  job.phase = Phase::draining;
  if (job.open[0] || job.open[1]) {
    arm_timer(job, k_drain_time);
  }
  finish_if_done(job);
}

void ProcessExecutor::arm_timer(RunningJob& job, Duration after)
{
  const int epoch = ++job.timer_epoch;
  job.timer.expires_after(after);
  job.timer.async_wait([this, id = job.id, epoch](const boost::system::error_code& ec) {
    if (!ec) {
      on_timer(id, epoch);
    }
  });
}

void ProcessExecutor::on_timer(JobId id, int epoch)
{
  const auto it = m_running.find(id);
  if (it == m_running.end() || it->second->timer_epoch != epoch) {
    return;
  }
  RunningJob& job = *it->second;
  switch (job.phase) {
  case Phase::running:
    job.ending = Ending::timed_out;
    ::kill(-job.pid, SIGTERM);
    job.phase = Phase::terminating;
    arm_timer(job, job.grace);
    break;
  case Phase::terminating:
    ::kill(-job.pid, SIGKILL);
    job.sent_kill = true;
    job.phase = Phase::killing;
    break;
  case Phase::killing:
    break;
  case Phase::draining:
    for (std::size_t s = 0; s < 2; ++s) {
      if (job.open[s]) {
        job.open[s] = false;
        job.pipes[s].close();
        job.callbacks.on_close(s == 0 ? Stream::out : Stream::err);
      }
    }
    finish_if_done(job);
    break;
  }
}

void ProcessExecutor::finish_if_done(RunningJob& job)
{
  if (!job.raw_status || job.open[0] || job.open[1]) {
    return;
  }
  Outcome outcome = outcome_of_exit(*job.raw_status, job.ending);
  if (outcome.status == Status::timeout) {
    outcome.note = job.sent_kill ? "SIGKILL after " + format_duration(job.timeout) + " + " +
                                     format_duration(job.grace) + " grace"
                                 : "SIGTERM after " + format_duration(job.timeout);
  } else if (outcome.status == Status::cancelled) {
    outcome.note = job.sent_kill ? "SIGKILL on interrupt" : "SIGTERM on interrupt";
  }
  job.timer.cancel();
  const auto node = m_running.extract(job.id);
  node.mapped()->callbacks.on_exit(std::move(outcome));
}

void ProcessExecutor::cancel_all(int signal)
{
  for (auto& [id, job] : m_running) {
    if (job->phase == Phase::draining) {
      continue;
    }
    if (job->ending == Ending::natural) {
      job->ending = Ending::cancelled;
    }
    ::kill(-job->pid, signal);
    if (signal == SIGKILL) {
      job->sent_kill = true;
      job->phase = Phase::killing;
      ++job->timer_epoch;
      job->timer.cancel();
    } else if (job->phase == Phase::running) {
      job->phase = Phase::terminating;
      arm_timer(*job, job->grace);
    }
  }
}

} // namespace fanout
