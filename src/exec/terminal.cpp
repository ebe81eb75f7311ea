// SPDX-License-Identifier: MIT
#include "exec/terminal.hpp"

#include <csignal>
#include <pthread.h>
#include <unistd.h>

namespace fanout {

bool holds_terminal_foreground()
{
  return ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
}

void take_terminal_back()
{
  if (::isatty(STDIN_FILENO) != 1) {
    return;
  }
  // From a background group, tcsetpgrp() would otherwise stop fanout.
  sigset_t ttou;
  sigset_t old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  ::pthread_sigmask(SIG_BLOCK, &ttou, &old);
  ::tcsetpgrp(STDIN_FILENO, ::getpgrp());
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

} // namespace fanout
