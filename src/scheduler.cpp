// SPDX-License-Identifier: MIT
#include "fanout/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <functional>

namespace fanout {

Scheduler::Scheduler(std::vector<JobId> jobs, std::size_t max_parallel) : m_jobs(std::move(jobs))
{
  assert(max_parallel >= 1);
  // More slots than jobs would never be used.
  const std::size_t slots = std::min(max_parallel, std::max<std::size_t>(m_jobs.size(), 1));
  for (std::size_t slot = slots; slot >= 1; --slot) {
    m_free_slots.push_back(slot);
  }
  std::make_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  const JobId largest = m_jobs.empty() ? 0 : *std::max_element(m_jobs.begin(), m_jobs.end());
  m_slot_of.assign(largest + 1, 0);
}

std::optional<Launch> Scheduler::next()
{
  if (m_stopped || m_next == m_jobs.size() || m_free_slots.empty()) {
    return std::nullopt;
  }
  std::pop_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  const std::size_t slot = m_free_slots.back();
  m_free_slots.pop_back();
  const JobId job = m_jobs[m_next++];
  m_slot_of[job] = slot;
  ++m_running;
  return Launch{job, slot};
}

void Scheduler::finish(JobId id)
{
  assert(id < m_slot_of.size() && m_slot_of[id] != 0);
  m_free_slots.push_back(m_slot_of[id]);
  std::push_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  m_slot_of[id] = 0;
  --m_running;
}

void Scheduler::stop()
{
  m_stopped = true;
}

std::vector<JobId> Scheduler::unstarted() const
{
  return {m_jobs.begin() + static_cast<std::ptrdiff_t>(m_next), m_jobs.end()};
}

bool Scheduler::is_done() const
{
  return m_running == 0 && (m_stopped || m_next == m_jobs.size());
}

} // namespace fanout
