// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace fanout {

// A job that may start now, and the pool slot (1..N) it occupies.
struct Launch {
  JobId job;
  std::size_t slot;
};

// Decides which job starts next. Pure bookkeeping: no I/O, no clock, no
// Asio. Jobs start in the order given, at most `max_parallel` at once, each
// in the lowest free slot.
class Scheduler {
public:
  // `jobs` are the selected jobs, in the order they should start.
  // `max_parallel` must be at least 1.
  Scheduler(std::vector<JobId> jobs, std::size_t max_parallel);

  // The next job to start, now counted as running; nothing when every slot
  // is busy, no job is left, or the run was stopped.
  std::optional<Launch> next();

  // Job `id`, returned by `next()`, has ended; its slot is free again.
  void finish(JobId id);

  // Start nothing more; the jobs not started yet stay unstarted.
  void stop();

  // The jobs that were never started, in order.
  std::vector<JobId> unstarted() const;

  std::size_t running_count() const { return m_running; }

  // Whether nothing runs and nothing more will start.
  bool is_done() const;

private:
  std::vector<JobId> m_jobs;
  std::size_t m_next = 0;
  std::size_t m_running = 0;
  bool m_stopped = false;
  std::vector<std::size_t> m_free_slots;  // a min-heap
  std::vector<std::size_t> m_slot_of;     // by JobId; 0 = not running
};

} // namespace fanout
