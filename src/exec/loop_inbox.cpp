// SPDX-License-Identifier: MIT
#include "exec/loop_inbox.hpp"

#include <boost/asio/post.hpp>

namespace fanout {

void LoopInbox::post(std::function<void()> handler)
{
  const std::lock_guard lock(m_mutex);
  // The first handler of a batch posts, before any other can join it: when
  // post returns, a post that runs the handler is already in the loop's
  // queue, ahead of whatever the caller makes happen next.
  if (m_pending.empty()) {
    boost::asio::post(m_io, [this] { run_pending(); });
  }
  m_pending.push_back(std::move(handler));
}

void LoopInbox::run_pending()
{
  std::vector<std::function<void()>> batch;
  {
    const std::lock_guard lock(m_mutex);
    batch.swap(m_pending);
  }
  // A handler that throws leaves the loop, and with it the run: the rest
  // of the batch is dropped with it.
  for (std::function<void()>& handler : batch) {
    handler();
  }
}

} // namespace fanout
