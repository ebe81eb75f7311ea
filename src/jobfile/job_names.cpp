// SPDX-License-Identifier: MIT
#include "jobfile/job_names.hpp"

#include <cassert>
#include <functional>
#include <utility>

namespace fanout {
namespace {

constexpr std::size_t k_first_size = 64;

} // namespace

std::optional<TakenName> JobNames::find(std::string_view name) const
{
  if (m_slots.empty()) {
    return std::nullopt;
  }
  const Slot& slot = m_slots[slot_of(name)];
  if (slot.job == 0) {
    return std::nullopt;
  }
  return TakenName{slot.job - 1u, slot.line};
}

void JobNames::add(JobId id, std::size_t line)
{
  if ((m_count + 1) * 4 > m_slots.size() * 3) {
    std::vector<Slot> old = std::exchange(
      m_slots, std::vector<Slot>(m_slots.empty() ? k_first_size : m_slots.size() * 2));
    for (const Slot& slot : old) {
      if (slot.job != 0) {
        m_slots[slot_of(m_jobs[slot.job - 1].name)] = slot;
      }
    }
  }
  Slot& slot = m_slots[slot_of(m_jobs[id].name)];
  assert(slot.job == 0);
  slot = Slot{static_cast<std::uint32_t>(id + 1), static_cast<std::uint32_t>(line)};
  ++m_count;
}

std::size_t JobNames::slot_of(std::string_view name) const
{
  const std::size_t mask = m_slots.size() - 1;
  const std::size_t hash = std::hash<std::string_view>{}(name);
  std::size_t i = hash & mask;
  while (m_slots[i].job != 0 && m_jobs[m_slots[i].job - 1].name != name) {
    i = (i + 1) & mask;
  }
  return i;
}

} // namespace fanout
