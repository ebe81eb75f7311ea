// SPDX-License-Identifier: MIT
#include "run/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <numeric>

namespace fanout {

Scheduler::Scheduler(const std::vector<JobSpec>& jobs, const std::vector<JobId>& selected,
                     std::size_t max_parallel)
    : m_selected(selected), m_state(jobs.size(), State::done), m_missing(jobs.size(), 0),
      m_daemon(jobs.size(), false), m_first(jobs.size() + 1, 0), m_cause(jobs.size(), 0),
      m_slot_of(jobs.size(), 0)
{
  assert(max_parallel >= 1);
  for (const JobId id : m_selected) {
    const Lifecycle& life = jobs[id].life();
    m_daemon[id] = life.daemon;
    m_missing[id] = static_cast<std::uint32_t>(life.needs.size());
    for (const JobId need : life.needs) {
      ++m_first[need + 1];
    }
    m_work += life.daemon ? 0 : 1;
  }
  std::partial_sum(m_first.begin(), m_first.end(), m_first.begin());
  m_dependants.resize(m_first.back());
  std::vector<std::size_t> filled(m_first.begin(), m_first.end() - 1);
  for (const JobId id : m_selected) {
    for (const JobId need : jobs[id].life().needs) {
      m_dependants[filled[need]++] = id;
    }
  }
  for (const JobId id : m_selected) {
    m_state[id] = State::waiting;
    if (m_missing[id] == 0) {
      m_state[id] = State::queued;
      (m_daemon[id] ? m_daemons : m_queue).push_back(id);
    }
  }
  // More slots than jobs would never be used.
  const std::size_t slots = std::min(max_parallel, std::max<std::size_t>(m_work, 1));
  for (std::size_t slot = slots; slot >= 1; --slot) {
    m_free_slots.push_back(slot);
  }
  std::make_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
}

std::optional<Launch> Scheduler::next()
{
  if (m_stopped) {
    return std::nullopt;
  }
  if (!m_daemons.empty()) {
    const JobId id = m_daemons.front();
    m_daemons.pop_front();
    m_state[id] = State::running;
    ++m_live;
    return Launch{id, 0};
  }
  if (m_queue.empty() || m_free_slots.empty()) {
    return std::nullopt;
  }
  std::pop_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  const std::size_t slot = m_free_slots.back();
  m_free_slots.pop_back();
  const JobId id = m_queue.front();
  m_queue.pop_front();
  m_state[id] = State::running;
  m_slot_of[id] = slot;
  ++m_running;
  ++m_live;
  return Launch{id, slot};
}

void Scheduler::ready(JobId id)
{
  assert(m_daemon[id] && m_state[id] == State::running);
  m_state[id] = State::ready;
  release(id);
}

void Scheduler::free_slot(JobId id)
{
  m_free_slots.push_back(m_slot_of[id]);
  std::push_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  m_slot_of[id] = 0;
  --m_running;
}

void Scheduler::pause(JobId id)
{
  assert(!m_daemon[id] && m_state[id] == State::running);
  free_slot(id);
  m_state[id] = State::paused;
  ++m_paused;
}

void Scheduler::resume(JobId id)
{
  assert(m_state[id] == State::paused);
  m_state[id] = State::queued;
  --m_paused;
  --m_live;
  m_queue.push_front(id);
}

void Scheduler::finish(JobId id, End end)
{
  const State was = m_state[id];
  assert(was == State::running || was == State::ready || was == State::paused);
  if (was == State::paused) {
    --m_paused;
  } else if (!m_daemon[id]) {
    free_slot(id);
  }
  --m_live;
  m_work -= m_daemon[id] ? 0 : 1;
  m_state[id] = State::done;
  if (was == State::ready) {
    return;
  }
  if (end == End::succeeded) {
    release(id);
  } else if (end == End::failed) {
    skip_dependants(id);
  }
}

void Scheduler::release(JobId id)
{
  for (std::size_t i = m_first[id]; i < m_first[id + 1]; ++i) {
    const JobId dependant = m_dependants[i];
    if (m_state[dependant] == State::waiting && --m_missing[dependant] == 0) {
      m_state[dependant] = State::queued;
      (m_daemon[dependant] ? m_daemons : m_queue).push_back(dependant);
    }
  }
}

void Scheduler::skip_dependants(JobId root)
{
  // Each job is skipped once and each need followed once: O(jobs + needs).
  std::vector<JobId> pending{root};
  while (!pending.empty()) {
    const JobId id = pending.back();
    pending.pop_back();
    for (std::size_t i = m_first[id]; i < m_first[id + 1]; ++i) {
      const JobId dependant = m_dependants[i];
      if (m_state[dependant] == State::waiting) {
        m_state[dependant] = State::skipped;
        m_cause[dependant] = root;
        m_work -= m_daemon[dependant] ? 0 : 1;
        pending.push_back(dependant);
      }
    }
  }
}

void Scheduler::stop()
{
  m_stopped = true;
}

bool Scheduler::has_work() const
{
  return m_stopped ? m_running + m_paused > 0 : m_work > 0;
}

bool Scheduler::is_done() const
{
  return m_live == 0 && (m_stopped || (m_queue.empty() && m_daemons.empty()));
}

std::optional<JobId> Scheduler::skip_cause(JobId id) const
{
  if (m_state[id] != State::skipped) {
    return std::nullopt;
  }
  return m_cause[id];
}

std::vector<JobId> Scheduler::unstarted() const
{
  std::vector<JobId> never;
  for (const JobId id : m_selected) {
    const State state = m_state[id];
    if (state == State::waiting || state == State::queued || state == State::skipped) {
      never.push_back(id);
    }
  }
  return never;
}

} // namespace fanout
