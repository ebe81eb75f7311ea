// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace fanout {

// A job that may start now, and the pool slot (1..N) it occupies; 0 for a
// daemon, which runs beside the pool (fanout(1), JOB FILE). For a group, a
// job of the group (a member) starts: a new one from its next input, or
// the member paused with key `resumed`, for its next attempt.
struct Launch {
  JobId job;
  std::size_t slot;
  bool member = false;
  std::optional<std::uint64_t> resumed;
};

// Whether a group has a member to start now: its next input is there, not
// read yet, or there is none left.
enum class Supply { ready, later, exhausted };
using Supplier = std::function<Supply(JobId group)>;

// Decides which job starts next. Pure bookkeeping: no I/O, no clock, no
// Asio. A job may start once every job it needs has succeeded (a daemon: is
// ready); among those, jobs start in the order they became startable, the
// selected jobs without needs first in file order. At most `max_parallel`
// non-daemon jobs run at once, each in the lowest free slot, and at most a
// pool's size of the jobs (or members of groups) in a pool: a job whose pool
// is full waits aside, in order, while the jobs behind it start, and goes
// ahead of them again once its pool has a place. A paused job holds no
// place in its pool. A group takes
// slots for its members while `supply` says it has inputs, ahead of what
// was queued after it, and lets the next queued job go first while its
// inputs are not read yet. Everything it does over a run costs
// O(jobs + needs + members) in total.
class Scheduler {
public:
  // `selected` are ids of `jobs`, in file order, and hold every job a
  // selected job needs. `max_parallel` must be at least 1. `jobs` is read
  // here only. `supply` is asked about groups only.
  Scheduler(const std::vector<JobSpec>& jobs, const std::vector<JobId>& selected,
            std::size_t max_parallel, Supplier supply = {});

  // The next job to start, now counted as running; nothing when none may
  // start now, or the run was stopped.
  std::optional<Launch> next();

  // Daemon `id` is ready: the jobs that need it may start.
  void ready(JobId id);

  // Job `id`'s attempt ended and it will be tried again: its slot is free
  // until `resume(id)` queues it, ahead of the others.
  void pause(JobId id);
  void resume(JobId id);

  // How a job ended, as far as the jobs that need it are concerned.
  enum class End {
    succeeded, // they may start (a daemon's were let go when it was ready)
    failed,    // they are skipped, and every job that needs them, with it as the cause
    cut_short, // fanout ended it (stopped, cancelled): they stay unstarted
  };

  // Job `id` has ended for good. A daemon's end changes nothing for its
  // dependants once it was ready. A group ends once `supply` said it is
  // exhausted and its members ended (or the run stopped).
  void finish(JobId id, End end);

  // A member's attempt in `slot` ended: for good, or to be tried again
  // (`resume_member` queues it ahead of the others, under its key).
  void end_member(std::size_t slot);
  void pause_member(std::size_t slot);
  void resume_member(JobId group, std::uint64_t key);
  // A paused member will not be tried again.
  void end_paused_member();
  // The keys of the members `resume_member` queued that have not started,
  // in order, paused again: for a stopped run, which ends each of them
  // with `end_paused_member`.
  std::vector<std::uint64_t> take_resumed_members();

  // Start nothing more; the jobs not started yet stay unstarted.
  void stop();
  bool stopped() const { return m_stopped; }

  // Whether a job that is not a daemon still runs, is paused, or may start.
  bool has_work() const;

  // Whether nothing runs, nothing is paused and nothing more will start.
  bool is_done() const;

  // The job whose failure skipped `id`, if it was skipped so.
  std::optional<JobId> skip_cause(JobId id) const;

  // The selected jobs that were never started, in file order.
  std::vector<JobId> unstarted() const;

  std::size_t running_count() const { return m_running; }

private:
  enum class State : std::uint8_t { waiting, queued, running, paused, ready, done, skipped };

  // A pool's places, and the startable jobs that found it full, in order:
  // a job or group, or a group's member back for another attempt (`resumed`).
  struct Waiting {
    JobId id;
    std::optional<std::uint64_t> resumed;
  };
  struct PoolPlaces {
    std::size_t size = 1;
    std::size_t running = 0;
    // Jobs (not groups: a group may have no input ready) and members in
    // m_queue and m_resumed that will take a place when they start.
    std::size_t queued = 0;
    std::deque<Waiting> waiting;
  };

  void release(JobId id);
  // Gives a running job's slot back.
  void free_slot(JobId id);
  void give_back(std::size_t slot);
  // A slot for `id` (a group, for a member), and a place in its pool.
  std::size_t take_slot(JobId id);
  void skip_dependants(JobId id);
  // Puts `id` in the queue of startable jobs, at its front or its back.
  enum class At { front, back };
  void enqueue(JobId id, At at);
  // The pool of `id`, 0 for none: its places are m_pools[pool - 1].
  PoolPlaces* pool_of(JobId id);
  // Sets `entry` aside if its pool is full; says whether it did.
  bool waits_for_place(const Waiting& entry);
  // Puts back in the queues as many of `pool`'s waiting jobs as it has
  // places that no queued job will take.
  void wake(PoolPlaces& pool);

  std::vector<JobId> m_selected;
  std::vector<State> m_state;           // by JobId
  std::vector<std::uint32_t> m_missing; // by JobId: needs not yet met
  std::vector<bool> m_daemon;           // by JobId
  std::vector<bool> m_group;            // by JobId
  Supplier m_supply;
  std::deque<std::pair<JobId, std::uint64_t>> m_resumed; // members back for another attempt
  // Who needs whom, as compressed rows: the jobs that need `id` are
  // m_dependants[m_first[id] .. m_first[id + 1]).
  std::vector<std::size_t> m_first;
  std::vector<JobId> m_dependants;
  std::vector<JobId> m_cause;  // by JobId, for skipped jobs
  std::deque<JobId> m_daemons; // startable daemons
  std::deque<JobId> m_queue;   // startable jobs
  std::size_t m_running = 0;   // non-daemon jobs and members running
  std::size_t m_live = 0;      // jobs and members running or paused, daemons included
  std::size_t m_work = 0;      // non-daemon jobs not yet done or skipped
  std::size_t m_paused = 0;
  bool m_stopped = false;
  std::vector<std::size_t> m_free_slots; // a min-heap
  std::vector<std::size_t> m_slot_of;    // by JobId; 0 = not in a slot
  std::vector<PoolPlaces> m_pools;
  std::vector<std::uint32_t> m_pool_of;      // by JobId; 0 = none, else 1 + index in m_pools
  std::vector<std::uint32_t> m_pool_of_slot; // by slot, as m_pool_of
};

} // namespace fanout
