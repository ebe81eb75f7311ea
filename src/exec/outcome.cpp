// SPDX-License-Identifier: MIT
#include "exec/outcome.hpp"

#include <cstring>
#include <sys/wait.h>

namespace fanout {

int decode_wait_status(int raw_status)
{
  if (WIFEXITED(raw_status)) {
    return WEXITSTATUS(raw_status);
  }
  if (WIFSIGNALED(raw_status)) {
    return -WTERMSIG(raw_status);
  }
  // Stopped or continued: fanout never asks for those (no WUNTRACED).
  return -1;
}

Outcome outcome_of_exit(int raw_status, Ending ending)
{
  const int code = decode_wait_status(raw_status);
  if (ending == Ending::stopped) {
    return {Status::stopped, code};
  }
  if (code == 0) {
    return {Status::ok, 0};
  }
  switch (ending) {
  case Ending::timed_out:
    return {Status::timeout, code};
  case Ending::cancelled:
    return {Status::cancelled, code};
  case Ending::natural:
  case Ending::stopped:
    break;
  }
  if (code > 0) {
    return {Status::failed, code};
  }
  return {Status::killed, code};
}

bool has_code(const Outcome& outcome)
{
  return outcome.status != Status::skipped && outcome.stop != Stop::abandoned;
}

bool succeeded(const Outcome& outcome)
{
  return outcome.status == Status::ok;
}

std::string signal_name(int signal)
{
  // sigabbrev_np (glibc 2.32) gives "TERM" without allocating.
  if (const char* abbrev = ::sigabbrev_np(signal)) {
    return std::string("SIG") + abbrev;
  }
  return "signal " + std::to_string(signal);
}

std::string_view status_name(Status status)
{
  switch (status) {
  case Status::ok:
    return "ok";
  case Status::failed:
    return "failed";
  case Status::killed:
    return "killed";
  case Status::timeout:
    return "timeout";
  case Status::error:
    return "error";
  case Status::stopped:
    return "stopped";
  case Status::cancelled:
    return "cancelled";
  case Status::skipped:
    return "skipped";
  }
  return "?";
}

} // namespace fanout
