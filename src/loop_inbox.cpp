// SPDX-License-Identifier: MIT
#include "fanout/loop_inbox.hpp"

#include <boost/asio/post.hpp>

namespace fanout {

void LoopInbox::post(std::function<void()> handler)
{
  bool first = false;
  {
    const std::lock_guard lock(m_mutex);
    first = m_pending.empty();
    m_pending.push_back(std::move(handler));
  }
  // Only the first handler of a batch posts: the loop has not yet taken the
  // batch that the others join.
  if (first) {
    boost::asio::post(m_io, [this] { run_pending(); });
  }
}

void LoopInbox::run_pending()
{
  std::vector<std::function<void()>> batch;
  {
    const std::lock_guard lock(m_mutex);
    batch.swap(m_pending);
  }
  for (std::function<void()>& handler : batch) {
    handler();
  }
}

} // namespace fanout
