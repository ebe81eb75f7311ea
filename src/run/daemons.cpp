// SPDX-License-Identifier: MIT
#include "run/daemons.hpp"

#include <boost/asio/post.hpp>

namespace fanout {

Daemons::Daemons(boost::asio::io_context& io, std::size_t jobs,
                 std::function<void(JobId)> found_ready, std::function<void(JobId)> not_ready)
    : m_io(io), m_found_ready(std::move(found_ready)), m_not_ready_cb(std::move(not_ready)),
      m_ready(jobs, false)
{
}

void Daemons::watch(JobId id, const Lifecycle& life)
{
  // A daemon without a probe is ready once it started (after the executor
  // had its chance to report that it could not).
  m_running.insert(id);
  if (!life.ready) {
    boost::asio::post(m_io, [this, id] { m_found_ready(id); });
    return;
  }
  auto probe = std::make_unique<ReadinessProbe>(
    m_io, *life.ready, [this, id] { m_found_ready(id); },
    [this, id] {
      m_not_ready.insert(id);
      m_not_ready_cb(id);
    });
  probe->start();
  m_probes.emplace(id, std::move(probe));
}

bool Daemons::mark_ready(JobId id)
{
  if (!m_running.contains(id) || m_ready[id]) {
    return false;
  }
  m_ready[id] = true;
  m_probes.erase(id);
  return true;
}

void Daemons::feed(JobId id, Stream stream, std::string_view bytes)
{
  if (const auto it = m_probes.find(id); it != m_probes.end()) {
    it->second->feed(stream, bytes);
  }
}

void Daemons::cancel_probes()
{
  for (const auto& [id, probe] : m_probes) {
    probe->cancel();
  }
}

bool Daemons::judge(JobId id, const Lifecycle& life, Outcome& outcome, bool may_release,
                    const Cause& cancelled_cause)
{
  m_running.erase(id);
  bool released = false;
  if (const auto it = m_probes.find(id); it != m_probes.end()) {
    // Found ready, but its end came first: ready it is.
    if (it->second->matched() && may_release) {
      m_ready[id] = true;
      released = true;
    }
    m_probes.erase(it);
  }
  const auto& ready = life.ready;
  if (m_not_ready.erase(id) > 0) {
    outcome.status = Status::failed;
    outcome.cause = {Cause::Kind::not_ready, {}, Status::ok, ready->timeout};
  } else if (outcome.status == Status::stopped) {
    return released;
  } else if (ready && !m_ready[id] && outcome.status != Status::cancelled &&
             outcome.status != Status::error) {
    outcome.status = outcome.status == Status::ok ? Status::failed : outcome.status;
    outcome.cause = {Cause::Kind::before_ready};
  } else if (outcome.status == Status::cancelled) {
    outcome.cause = cancelled_cause;
  }
  return released;
}

} // namespace fanout
