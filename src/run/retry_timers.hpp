// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace fanout {

// The jobs that wait for their next attempt, each on a timer of its own on
// the runner's event loop.
class RetryTimers {
public:
  explicit RetryTimers(boost::asio::io_context& io) : m_io(io) {}

  // Calls `due` on the loop once `delay` has passed, unless `cancel_all`
  // comes first. Job `id` waits for one retry at a time.
  void wait(JobId id, Duration delay, std::function<void()> due);

  // Cancels every wait: their `due` is never called. Returns the jobs that
  // were waiting.
  std::vector<JobId> cancel_all();

private:
  boost::asio::io_context& m_io;
  std::unordered_map<JobId, std::unique_ptr<boost::asio::steady_timer>> m_timers;
};

} // namespace fanout
