// SPDX-License-Identifier: MIT
// What the two sources of PoolExecutor share: a running job's state.
#pragma once

#include "exec/pool_executor.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

namespace fanout {

namespace asio = boost::asio;

using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

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

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

// A pipe whose two ends are O_CLOEXEC; throws fanout::Error when it cannot.
Pipe make_pipe();

// A page shared with a forked function job, for its exception's message.
struct SharedNote {
  explicit SharedNote(std::size_t size);
  ~SharedNote();
  SharedNote(const SharedNote&) = delete;
  SharedNote& operator=(const SharedNote&) = delete;

  std::span<char> span() const { return {static_cast<char*>(data), size}; }

  void* data;
  std::size_t size;
};

// What a worker thread and the event loop share about one job on a thread.
struct PoolExecutor::ThreadJob {
  // The loop forgets the job: its worker posts nothing more, and a write
  // waiting for room fails.
  void abandon()
  {
    const std::lock_guard lock(mutex);
    abandoned = true;
    drained.notify_all();
  }

  std::atomic<bool> stop{false}; // the function's stop_requested()
  std::mutex mutex;              // guards what follows, and posting to the loop
  std::condition_variable drained;
  std::size_t in_flight = 0; // bytes of the function's output posted, not yet handled
  bool abandoned = false;
  bool finished = false; // the function has returned
};

// Where a job is in its life; each timer expiry moves it on.
enum class Phase {
  running,     // the timer, if armed, is the job's timeout
  terminating, // SIGTERM sent (or stop requested); the timer is the grace period
  killing,     // SIGKILL sent; no timer
  draining,    // the process ended; the timer bounds the wait for pipe EOF
};

struct PoolExecutor::RunningJob {
  RunningJob(asio::io_context& io, const Attempt& attempt, Callbacks job_callbacks)
      : id(attempt.id), name(attempt.job->name),
        callbacks(std::move(job_callbacks)), pipes{asio::posix::stream_descriptor(io),
                                                   asio::posix::stream_descriptor(io)},
        timer(io), timeout(attempt.timeout), grace(attempt.grace),
        is_function(attempt.job->call != nullptr)
  {
  }

  JobId id;
  std::string name; // its FANOUT_JOB_NAME, which tells its adopted processes
  pid_t pid = 0;    // also the process group id; 0 until known, and on a thread for a function
  Callbacks callbacks;
  std::optional<asio::posix::stream_descriptor> pidfd; // the process pool's watch on the pid
  std::shared_ptr<ThreadJob> thread_job;               // the thread pool's
  std::optional<WorkGuard> guard;   // keeps the loop running for the worker's post
  std::unique_ptr<SharedNote> note; // a forked function job's
  std::string exception;            // what ended a function job, if it threw
  std::array<asio::posix::stream_descriptor, 2> pipes;
  std::array<std::unique_ptr<char[]>, 2> buffers; // a job with pipes only: see watch()
  std::array<std::size_t, 2> buffer_sizes{k_read_size, k_read_size};
  std::array<bool, 2> open{true, true};
  std::array<bool, 2> held{false, false}; // a read waits for the output hold to end
  asio::steady_timer timer;
  int timer_epoch = 0; // tells a current expiry from a stale one
  Phase phase = Phase::running;
  Ending ending = Ending::natural;
  bool sent_kill = false;
  int pending_signal = 0; // for a command whose worker has not reported its pid yet
  std::optional<int> raw_status;
  std::optional<Outcome> failure; // a command its worker could not start
  Duration timeout;
  Duration grace;
  bool is_function;
};

} // namespace fanout
