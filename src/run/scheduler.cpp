// SPDX-License-Identifier: MIT
#include "run/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace fanout {

Scheduler::Scheduler(const std::vector<JobSpec>& jobs, const std::vector<JobId>& selected,
                     std::size_t max_parallel, Supplier supply)
    : m_selected(selected), m_state(jobs.size(), State::done), m_missing(jobs.size(), 0),
      m_daemon(jobs.size(), false), m_group(jobs.size(), false), m_supply(std::move(supply)),
      m_first(jobs.size() + 1, 0), m_cause(jobs.size(), 0), m_slot_of(jobs.size(), 0),
      m_pool_of(jobs.size(), 0)
{
  assert(max_parallel >= 1);
  bool any_group = false;
  std::unordered_map<const PoolSpec*, std::uint32_t> pools;
  for (const JobId id : m_selected) {
    const Lifecycle& life = jobs[id].life();
    if (life.pool && !life.daemon) {
      const auto [entry, is_new] = pools.emplace(life.pool.get(), m_pools.size() + 1);
      if (is_new) {
        m_pools.emplace_back().size = life.pool->size;
      }
      m_pool_of[id] = entry->second;
    }
    m_daemon[id] = life.daemon;
    m_group[id] = jobs[id].group != nullptr;
    any_group = any_group || m_group[id];
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
      enqueue(id, At::back);
    }
  }
  // More slots than jobs would never be used; a group may use them all.
  const std::size_t slots =
    any_group ? max_parallel : std::min(max_parallel, std::max<std::size_t>(m_work, 1));
  for (std::size_t slot = slots; slot >= 1; --slot) {
    m_free_slots.push_back(slot);
  }
  std::make_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  m_pool_of_slot.assign(slots + 1, 0);
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
    return Launch{id, 0, false, std::nullopt};
  }
  if (m_free_slots.empty()) {
    return std::nullopt;
  }
  while (!m_resumed.empty()) {
    const auto [group, key] = m_resumed.front();
    m_resumed.pop_front();
    if (!waits_for_place({group, key})) {
      return Launch{group, take_slot(group), true, key};
    }
  }
  for (auto it = m_queue.begin(); it != m_queue.end();) {
    const JobId id = *it;
    if (waits_for_place({id, std::nullopt})) {
      it = m_queue.erase(it);
      continue;
    }
    if (!m_group[id]) {
      m_queue.erase(it);
      m_state[id] = State::running;
      m_slot_of[id] = take_slot(id);
      return Launch{id, m_slot_of[id], false, std::nullopt};
    }
    switch (m_supply(id)) {
    case Supply::ready:
      m_state[id] = State::running;
      return Launch{id, take_slot(id), true, std::nullopt};
    case Supply::later:
      ++it;
      break;
    case Supply::exhausted:
      m_state[id] = State::running;
      it = m_queue.erase(it);
      break;
    }
  }
  return std::nullopt;
}

std::size_t Scheduler::take_slot(JobId id)
{
  std::pop_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  const std::size_t slot = m_free_slots.back();
  m_free_slots.pop_back();
  ++m_running;
  ++m_live;
  m_pool_of_slot[slot] = m_pool_of[id];
  if (PoolPlaces* pool = pool_of(id)) {
    ++pool->running;
  }
  return slot;
}

void Scheduler::give_back(std::size_t slot)
{
  m_free_slots.push_back(slot);
  std::push_heap(m_free_slots.begin(), m_free_slots.end(), std::greater<>());
  --m_running;
  if (const std::uint32_t pool = std::exchange(m_pool_of_slot[slot], 0); pool != 0) {
    --m_pools[pool - 1].running;
    wake(m_pools[pool - 1]);
  }
}

Scheduler::PoolPlaces* Scheduler::pool_of(JobId id)
{
  return m_pool_of[id] == 0 ? nullptr : &m_pools[m_pool_of[id] - 1];
}

void Scheduler::enqueue(JobId id, At at)
{
  m_state[id] = State::queued;
  if (m_daemon[id]) {
    m_daemons.push_back(id);
    return;
  }
  if (at == At::front) {
    m_queue.push_front(id);
  } else {
    m_queue.push_back(id);
  }
  if (PoolPlaces* pool = pool_of(id); pool && !m_group[id]) {
    ++pool->queued;
  }
}

bool Scheduler::waits_for_place(const Waiting& entry)
{
  PoolPlaces* pool = pool_of(entry.id);
  if (!pool) {
    return false;
  }
  // A job or member leaves the queues now, to start or to wait; a group
  // stays queued while it has a place, and was never counted.
  pool->queued -= entry.resumed || !m_group[entry.id] ? 1 : 0;
  if (pool->running < pool->size) {
    return false;
  }
  pool->waiting.push_back(entry);
  return true;
}

void Scheduler::wake(PoolPlaces& pool)
{
  // Each job put back takes a place; a group may not (its input may not be
  // read yet), so the one behind it comes back too, and whichever starts
  // first takes the place.
  while (!pool.waiting.empty() && pool.running + pool.queued < pool.size) {
    const Waiting entry = pool.waiting.front();
    pool.waiting.pop_front();
    if (entry.resumed) {
      m_resumed.emplace_front(entry.id, *entry.resumed);
    } else {
      m_queue.push_front(entry.id);
    }
    pool.queued += entry.resumed || !m_group[entry.id] ? 1 : 0;
  }
}

void Scheduler::ready(JobId id)
{
  assert(m_daemon[id] && m_state[id] == State::running);
  m_state[id] = State::ready;
  release(id);
}

void Scheduler::free_slot(JobId id)
{
  give_back(m_slot_of[id]);
  m_slot_of[id] = 0;
}

void Scheduler::end_member(std::size_t slot)
{
  give_back(slot);
  --m_live;
}

void Scheduler::pause_member(std::size_t slot)
{
  give_back(slot);
  ++m_paused;
}

void Scheduler::resume_member(JobId group, std::uint64_t key)
{
  --m_paused;
  --m_live;
  m_resumed.emplace_back(group, key);
  if (PoolPlaces* pool = pool_of(group)) {
    ++pool->queued;
  }
}

void Scheduler::end_paused_member()
{
  --m_paused;
  --m_live;
}

std::vector<std::uint64_t> Scheduler::take_resumed_members()
{
  std::vector<std::uint64_t> keys;
  keys.reserve(m_resumed.size());
  for (const auto& [group, key] : m_resumed) {
    keys.push_back(key);
    ++m_paused;
    ++m_live;
  }
  m_resumed.clear();
  return keys;
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
  --m_paused;
  --m_live;
  enqueue(id, At::front);
}

void Scheduler::finish(JobId id, End end)
{
  const State was = m_state[id];
  assert(was == State::running || was == State::ready || was == State::paused);
  // A group holds no slot: its members did, and gave them back as they ended.
  if (!m_group[id]) {
    if (was == State::paused) {
      --m_paused;
    } else if (!m_daemon[id]) {
      free_slot(id);
    }
    --m_live;
  }
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
      enqueue(dependant, At::back);
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
  return m_live == 0 && (m_stopped || (m_queue.empty() && m_daemons.empty() && m_resumed.empty()));
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
