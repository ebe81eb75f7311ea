// SPDX-License-Identifier: MIT
// Setting the calling thread's signal mask for a scope.
#pragma once

#include <csignal>
#include <pthread.h>

namespace fanout {

// While it lives, the calling thread blocks every signal (`all`) or none
// (`none`); then its mask is what it was.
class ScopedSignalMask {
public:
  enum Blocked { all, none };

  explicit ScopedSignalMask(Blocked blocked)
  {
    sigset_t set;
    blocked == all ? sigfillset(&set) : sigemptyset(&set);
    ::pthread_sigmask(SIG_SETMASK, &set, &m_before);
  }
  ~ScopedSignalMask() { ::pthread_sigmask(SIG_SETMASK, &m_before, nullptr); }
  ScopedSignalMask(const ScopedSignalMask&) = delete;
  ScopedSignalMask& operator=(const ScopedSignalMask&) = delete;

private:
  sigset_t m_before;
};

} // namespace fanout
