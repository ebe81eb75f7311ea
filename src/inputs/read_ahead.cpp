// SPDX-License-Identifier: MIT
#include "inputs/read_ahead.hpp"

#include "error.hpp"
#include "exec/signal_mask.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

namespace fanout {

ReadAhead::ReadAhead(std::function<void()> on_more)
    : m_on_more(std::move(on_more)), m_wake_fd(::eventfd(0, EFD_CLOEXEC))
{
  if (m_wake_fd < 0) {
    throw Error(std::string("cannot read inputs: ") + std::strerror(errno));
  }
}

ReadAhead::~ReadAhead()
{
  stop();
  ::close(m_wake_fd);
}

void ReadAhead::start(Producer produce)
{
  // The thread starts with its creator's mask: signals are the event
  // loop's business, and one that lands here would only interrupt a read.
  const BlockedSignals blocked;
  m_thread = std::thread([this, produce = std::move(produce)] {
    std::optional<std::string> error;
    try {
      error = produce();
    } catch (const std::exception& e) {
      error = e.what();
    }
    finish(std::move(error));
  });
}

void ReadAhead::stop()
{
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_room.notify_all();
  const std::uint64_t one = 1;
  // The counter can only fill up after 2^64 - 2 calls; a failed write
  // leaves it readable anyway.
  [[maybe_unused]] const ssize_t written = ::write(m_wake_fd, &one, sizeof one);
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

InputStream::Next ReadAhead::take(std::string& value)
{
  bool drained = false;
  {
    const std::lock_guard lock(m_mutex);
    if (m_values.empty()) {
      if (m_ended) {
        return InputStream::Next::end;
      }
      m_waiting = true;
      return InputStream::Next::later;
    }
    value = std::move(m_values.front());
    m_values.pop_front();
    m_bytes -= value.size();
    drained = m_full && is_half_empty();
    m_full = m_full && !drained;
  }
  if (drained) {
    m_room.notify_one();
  }
  return InputStream::Next::input;
}

bool ReadAhead::is_half_empty() const
{
  return m_values.size() <= k_max_values / 2 && m_bytes <= k_max_bytes / 2;
}

std::optional<std::string> ReadAhead::error() const
{
  const std::lock_guard lock(m_mutex);
  return m_error;
}

bool ReadAhead::put(std::string&& value)
{
  bool owed = false;
  {
    std::unique_lock lock(m_mutex);
    // A value longer than the bound still goes in, alone: it is the input.
    if (m_values.size() >= k_max_values || m_bytes >= k_max_bytes) {
      m_full = true;
      m_room.wait(lock, [this] { return m_stopping || !m_full; });
    }
    if (m_stopping) {
      return false;
    }
    m_bytes += value.size();
    m_values.push_back(std::move(value));
    owed = std::exchange(m_waiting, false);
  }
  // Outside the lock: the taker may well call `take` from `on_more`.
  if (owed) {
    m_on_more();
  }
  return true;
}

void ReadAhead::finish(std::optional<std::string> error)
{
  bool owed = false;
  {
    const std::lock_guard lock(m_mutex);
    m_ended = true;
    m_error = std::move(error);
    owed = std::exchange(m_waiting, false) && !m_stopping;
  }
  if (owed) {
    m_on_more();
  }
}

} // namespace fanout
