// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "jobfile/job.hpp"
#include "output/stream.hpp"
#include "run/readiness.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fanout {

// The daemons of a run while they run: which were found ready, and the
// probes that look for it (fanout(1), JOB FILE). Lives on the runner's
// thread.
class Daemons {
public:
  // `found_ready(id)` when a probe matched (or at once, posted, for a daemon
  // without `ready`); `not_ready(id)` when its ready timeout passed.
  Daemons(boost::asio::io_context& io, std::size_t jobs, std::function<void(JobId)> found_ready,
          std::function<void(JobId)> not_ready);

  // Daemon `id` started.
  void watch(JobId id, const Lifecycle& life);

  // Marks running daemon `id` ready; false when it is not running or was
  // ready already.
  bool mark_ready(JobId id);

  // A piece of daemon `id`'s output, for its probe, if it has one.
  void feed(JobId id, Stream stream, std::string_view bytes);

  // Stops every probe: nothing will be found ready any more.
  void cancel_probes();

  std::vector<JobId> running() const { return {m_running.begin(), m_running.end()}; }

  // Daemon `id` ended with `outcome`: stopped at the end, not ready in time,
  // ended before it was ready, or ended by itself once ready (reported as
  // it is). `cancelled_cause` explains a cancelled one. Returns whether its
  // probe had matched just before it ended and it is ready now, when the run
  // `may_release` its dependants.
  bool judge(JobId id, const Lifecycle& life, Outcome& outcome, bool may_release,
             const Cause& cancelled_cause);

private:
  boost::asio::io_context& m_io;
  std::function<void(JobId)> m_found_ready;
  std::function<void(JobId)> m_not_ready_cb;
  std::unordered_set<JobId> m_running;
  std::vector<bool> m_ready;             // by JobId: found ready
  std::unordered_set<JobId> m_not_ready; // terminated for their ready timeout
  std::unordered_map<JobId, std::unique_ptr<ReadinessProbe>> m_probes;
};

} // namespace fanout
