// SPDX-License-Identifier: MIT
#include "run/retry_timers.hpp"

namespace fanout {

void RetryTimers::wait(JobId id, Duration delay, std::function<void()> due)
{
  auto timer = std::make_unique<boost::asio::steady_timer>(m_io, delay);
  timer->async_wait([this, id, due = std::move(due)](const boost::system::error_code& ec) {
    // An expiry already queued when the waits were cancelled still comes,
    // without an error; cancel_all has handed the job back then.
    if (ec || m_timers.erase(id) == 0) {
      return;
    }
    due();
  });
  m_timers.emplace(id, std::move(timer));
}

std::vector<JobId> RetryTimers::cancel_all()
{
  std::vector<JobId> waiting;
  waiting.reserve(m_timers.size());
  for (const auto& [id, timer] : m_timers) {
    waiting.push_back(id);
  }
  m_timers.clear(); // cancels their waits
  return waiting;
}

} // namespace fanout
