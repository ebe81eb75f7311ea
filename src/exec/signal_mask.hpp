// SPDX-License-Identifier: MIT
// Blocking every signal in the calling thread for a scope.
#pragma once

#include <csignal>
#include <pthread.h>

namespace fanout {

// While it lives, the calling thread blocks every signal; then its mask is
// what it was.
class BlockedSignals {
public:
  BlockedSignals()
  {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &m_before);
  }
  ~BlockedSignals() { ::pthread_sigmask(SIG_SETMASK, &m_before, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

private:
  sigset_t m_before;
};

} // namespace fanout
