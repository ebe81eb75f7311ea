// SPDX-License-Identifier: MIT
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace fanout {

// What other threads hand to an event loop, run on the loop in the order it
// was handed over. One post to the loop carries every handler handed over
// until the loop gets to it, so a loop still busy with earlier ones is not
// woken once per handler, and the threads handing over contend on one short
// lock only.
class LoopInbox {
public:
  explicit LoopInbox(boost::asio::io_context& io) : m_io(io) {}
  LoopInbox(const LoopInbox&) = delete;
  LoopInbox& operator=(const LoopInbox&) = delete;

  // Thread-safe. The handler runs on the loop; the inbox must outlive it.
  // As with asio::post, it runs before what the loop learns of what the
  // caller does after the call: a thread that reports a failure and then
  // closes a pipe has its report handled before the pipe's end.
  void post(std::function<void()> handler);

private:
  void run_pending();

  boost::asio::io_context& m_io;
  std::mutex m_mutex;
  std::vector<std::function<void()>> m_pending; // guarded by m_mutex
};

} // namespace fanout
