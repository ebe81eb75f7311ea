// SPDX-License-Identifier: MIT
#include "run/token_gate.hpp"

namespace asio = boost::asio;

namespace fanout {

TokenGate::TokenGate(asio::io_context& io, const RunConfig& config, const Executor& executor,
                     std::function<void()> wake)
    : m_jobserver(config.jobserver != nullptr && config.jobserver->has_tokens() ? config.jobserver
                                                                                : nullptr),
      m_executor(executor), m_max_parallel(config.max_parallel), m_wake(std::move(wake))
{
  if (m_jobserver == nullptr) {
    return;
  }
  m_readable.emplace(io, m_jobserver->wait_fd());
}

TokenGate::~TokenGate()
{
  if (m_jobserver == nullptr) {
    return;
  }
  // The descriptor is the jobserver's to close.
  m_readable->release();
  for (const char token : m_held) {
    m_jobserver->give(token);
  }
}

std::optional<Launch> TokenGate::next(Scheduler& scheduler)
{
  if (m_jobserver == nullptr) {
    return scheduler.next();
  }
  const std::size_t running = scheduler.running_count();
  if (running == 0 && m_jobserver->serves() && m_executor.running_count() == 0) {
    m_jobserver->recover(m_held.size());
  }
  // With every slot taken, only a daemon may start, which needs no token;
  // once stopped, nothing does.
  if (running > 0 && running < m_max_parallel && m_held.size() < running && !scheduler.stopped()) {
    const auto token = m_jobserver->try_take();
    if (!token) {
      wait();
      return std::nullopt;
    }
    m_held += *token;
  }
  return scheduler.next();
}

void TokenGate::settle(const Scheduler& scheduler)
{
  if (m_jobserver == nullptr) {
    return;
  }
  const std::size_t running = scheduler.running_count();
  const std::size_t needed = running > 0 ? running - 1 : 0;
  while (m_held.size() > needed) {
    m_jobserver->give(m_held.back());
    m_held.pop_back();
  }
  if (m_waiting && (running == 0 || scheduler.stopped())) {
    // Its handler may already be queued: the next number tells it so.
    m_readable->cancel();
    m_waiting = false;
    ++m_wait_number;
  }
}

void TokenGate::wait()
{
  if (std::exchange(m_waiting, true)) {
    return;
  }
  m_readable->async_wait(asio::posix::descriptor_base::wait_read,
                         [this, number = m_wait_number](const boost::system::error_code& ec) {
                           on_readable(ec, number);
                         });
}

void TokenGate::on_readable(const boost::system::error_code& ec, std::uint64_t number)
{
  if (number == m_wait_number) {
    m_waiting = false;
  }
  if (ec) {
    return;
  }
  // Another process may have read the token first: then wait again.
  const auto token = m_jobserver->try_take();
  if (!token) {
    wait();
    return;
  }
  m_held += *token;
  m_wake();
}

} // namespace fanout
