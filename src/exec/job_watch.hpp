// SPDX-License-Identifier: MIT
// What every running job has, however it was started: its output, its
// timeout and how it is stopped, its ending, and what it leaves behind.
#pragma once

#include "exec/executor.hpp"
#include "exec/spawn.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace fanout {

class JobWatch;
class Launched;
class Launcher;
class PoolExecutor;

// How long a job's pipes may stay open after its process ended and its
// process group and adopted processes were killed. Only a process fanout
// could not tell as the job's can hold them that long (it left the group and
// changed its environment, or its parent is still alive outside the group);
// we stop reading rather than wait for it.
constexpr Duration k_drain_time = std::chrono::seconds(1);

// Reads start at the size of a default pipe. A stream that fills a whole read
// is a heavy writer: its pipe and read buffer grow to k_large_read_size, so
// it wakes fanout (and fanout it) four times less often. Only such streams
// grow, because enlarged pipes count against the user's pipe-buffer quota.
constexpr std::size_t k_read_size = 64 * 1024;
constexpr std::size_t k_large_read_size = 256 * 1024;

// A watch as a handler names it: a handler can run after its watch has
// gone (a read cancelled by the close of its pipe, a worker's late report),
// and a new attempt of the same job has a new watch.
struct WatchRef {
  PoolExecutor* owner;
  JobId id;
  std::uint64_t serial;

  // The watch, if it is still there; else null.
  JobWatch* get() const;
};

// One running job, as the event loop sees it, whichever launcher started
// it: reads its pipes and hands the bytes to its callbacks (growing a heavy
// writer's pipe, pausing while output is held), arms its timeout, then
// stops it (SIGTERM and SIGCONT through its launcher, SIGKILL after the
// grace), ends what is left of its process group and what fanout adopted
// from it once its process has ended (reaping the process last), drains
// its pipes for at most k_drain_time, and builds its Outcome. Owned by the
// PoolExecutor, which forgets it once it has called `on_exit`. Every
// method runs on the event loop.
class JobWatch {
public:
  JobWatch(PoolExecutor& owner, std::uint64_t serial, const Attempt& attempt,
           Executor::Callbacks callbacks, Launcher& launcher);
  // A job's process still running (the run is abandoned on an error) gets
  // SIGKILL to its group; what it launched is forgotten (Launched).
  ~JobWatch();
  JobWatch(const JobWatch&) = delete;
  JobWatch& operator=(const JobWatch&) = delete;

  // For launchers: what the job is, and what becomes of it.

  // Takes the read ends of the job's stdout and stderr pipes, and reads
  // them until their end. A job without pipes calls close_streams().
  void read_pipes(int out_fd, int err_fd);
  // The job runs from now: its timeout counts from here. `pid` is its own
  // process, which leads its process group; 0 for a job with none (a
  // function on a thread).
  void started(pid_t pid = 0);
  // The event loop waits for the job's process through `pidfd` (taken),
  // then calls process_exited().
  void wait_for_exit(int pidfd);
  // The job's process has ended but is not reaped: kills what is left of
  // its group and what fanout adopted from the job, then reaps it; the job
  // ends with its status and its Launched's last words.
  void process_exited();
  // Bytes of a job without pipes (a function on a thread); dropped once
  // that stream has closed.
  void output(Stream stream, std::string_view bytes);
  // Both streams end now.
  void close_streams();
  // The job ended with the raw wait status `raw_status`, without a process
  // left to reap; `message` is its own words, if any.
  void ended(int raw_status, std::string message = {});
  // The job did not start, for `failure`, found after start() returned (on
  // a worker thread): a shortage makes the executor keep the attempt for
  // later if other jobs run, and ends this watch. Otherwise the message goes
  // to the job's stderr, and the job ends `error` once its pipes have.
  void not_started(const SpawnFailure& failure);
  // Leaves the job to itself, ending it now as `abandoned` (a function on
  // a thread past its grace: a thread cannot be killed). Ends this watch.
  void abandon();
  // Keeps the event loop running until the job's end is reported, for a
  // job whose end arrives as a post rather than on a watched descriptor.
  void keep_loop_running();
  // What its launcher keeps with the job, for the launcher only.
  void set_launched(std::shared_ptr<Launched> launched) { m_launched = std::move(launched); }
  const std::shared_ptr<Launched>& launched() const { return m_launched; }
  // The job's own process, which leads its group; 0 while none is known.
  pid_t pid() const { return m_pid; }
  WatchRef ref() const;

  // For the executor.

  const Attempt& attempt() const { return m_attempt; }
  std::uint64_t serial() const { return m_serial; }
  // Ends the job early for `why` with `signal`: SIGTERM arms the grace,
  // SIGKILL is at once. A job already stopping keeps its grace; one that
  // has exited by itself keeps its own ending. May end this watch.
  void end_early(Ending why, int signal);
  // The output hold has ended: reads what waited.
  void resume_output();
  // Whether the job's own process runs or awaits reaping.
  bool has_live_process() const { return m_pid > 0 && !m_raw_status; }
  // The callbacks, handed over as the watch is dropped: for its job's
  // `on_exit`, or for an attempt that did not start.
  Executor::Callbacks take_callbacks() { return std::move(m_callbacks); }

private:
  // Where a job is in its life; each timer expiry moves it on.
  enum class Phase {
    running,     // the timer, if armed, is the job's timeout
    terminating, // SIGTERM sent (or stop requested); the timer is the grace period
    killing,     // SIGKILL sent; no timer
    draining,    // the job ended; the timer bounds the wait for pipe EOF
  };

  void read(Stream stream);
  // Hands what the job wrote (and at a stream's end, what its Launched
  // held back) to the callbacks.
  void deliver(Stream stream, std::string_view bytes, bool at_end);
  void grow(std::size_t stream_index);
  void close_stream(std::size_t stream_index);
  void await_exit();
  void arm_timer(Duration after);
  void on_timer();
  void send(int signal);
  bool has_exited() const;
  void finish_if_done();

  PoolExecutor& m_owner;
  std::uint64_t m_serial;
  Attempt m_attempt;
  Executor::Callbacks m_callbacks;
  Launcher& m_launcher;
  std::shared_ptr<Launched> m_launched;
  pid_t m_pid = 0;
  std::optional<boost::asio::posix::stream_descriptor> m_pidfd;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_guard;
  std::array<boost::asio::posix::stream_descriptor, 2> m_pipes;
  std::array<std::unique_ptr<char[]>, 2> m_buffers; // with pipes only: see read_pipes()
  std::array<std::size_t, 2> m_buffer_sizes{k_read_size, k_read_size};
  std::array<bool, 2> m_open{true, true};
  std::array<bool, 2> m_held{false, false}; // a read waits for the output hold to end
  boost::asio::steady_timer m_timer;
  int m_timer_epoch = 0; // tells a current expiry from a stale one
  Phase m_phase = Phase::running;
  Ending m_ending = Ending::natural;
  bool m_sent_kill = false;
  std::optional<int> m_raw_status;
  std::optional<Outcome> m_failure; // the job did not start
  std::string m_message;            // the job's own words on its end
};

} // namespace fanout
