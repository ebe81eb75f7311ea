// SPDX-License-Identifier: MIT
#include "report/outcome_text.hpp"

#include "jobfile/duration.hpp"

#include <algorithm>

namespace fanout {

namespace {

constexpr std::string_view k_abandoned = ": a thread cannot be killed";

// What fanout did to end a job it stopped, with the limits that made it.
std::string stop_text(const Outcome& o)
{
  const std::string timeout = format_duration(o.timeout);
  const std::string grace = format_duration(o.grace);
  switch (o.status) {
  case Status::timeout:
    switch (o.stop) {
    case Stop::kill:
      return "SIGKILL after " + timeout + " + " + grace + " grace";
    case Stop::request:
      return "stopped on request after " + timeout;
    case Stop::abandoned:
      return "abandoned after " + timeout + " + " + grace + " grace" + std::string(k_abandoned);
    default:
      return "SIGTERM after " + timeout;
    }
  case Status::stopped:
    switch (o.stop) {
    case Stop::kill:
      return "SIGKILL after " + grace + " grace";
    case Stop::request:
      return "stopped on request";
    case Stop::abandoned:
      return "abandoned after " + grace + " grace" + std::string(k_abandoned);
    default:
      return "SIGTERM";
    }
  default:
    switch (o.stop) {
    case Stop::kill:
      return "SIGKILL";
    case Stop::request:
      return "stopped on request";
    case Stop::abandoned:
      return "abandoned" + std::string(k_abandoned);
    case Stop::term:
      return "SIGTERM";
    case Stop::none:
      return "retry cancelled"; // it was waiting for its next attempt
    }
    return {};
  }
}

// What the job says, or what fanout did to it, before any cause.
std::string base_text(const Outcome& o)
{
  switch (o.status) {
  case Status::timeout:
  case Status::stopped:
  case Status::cancelled:
    return stop_text(o);
  case Status::killed:
    return o.message.empty() ? signal_name(-o.code) : o.message;
  default:
    return o.message;
  }
}

// "because unit failed", "run interrupted": why a job never started.
std::string skipped_text(const Cause& cause)
{
  switch (cause.kind) {
  case Cause::Kind::dependency:
    return "because " + cause_text(cause.job, cause.job_status);
  case Cause::Kind::interrupt:
    return "run interrupted";
  case Cause::Kind::fail_fast:
    return "because " + cause_text(cause.job, cause.job_status) + " (--fail-fast)";
  case Cause::Kind::unneeded:
    return "no job left that needs it";
  default:
    return {};
  }
}

} // namespace

std::string cause_text(const std::string& job, Status status)
{
  switch (status) {
  case Status::killed:
    return job + " was killed";
  case Status::timeout:
    return job + " timed out";
  case Status::error:
    return job + " could not start";
  case Status::cancelled:
    return job + " was cancelled";
  default:
    return job + " " + std::string(status_name(status));
  }
}

std::string note_text(const Outcome& outcome)
{
  const Cause& cause = outcome.cause;
  if (outcome.status == Status::skipped) {
    return skipped_text(cause);
  }
  if (cause.kind == Cause::Kind::not_ready) {
    return "not ready after " + format_duration(cause.after);
  }
  if (cause.kind == Cause::Kind::earlier_run) {
    return "done in an earlier run";
  }
  std::string text = base_text(outcome);
  if (cause.kind == Cause::Kind::before_ready) {
    return (text.empty() ? "" : text + ", ") + "ended before it was ready";
  }
  if (outcome.status == Status::cancelled) {
    // "SIGTERM on interrupt", "abandoned on interrupt: a thread cannot be killed"
    const std::string why =
      cause.kind == Cause::Kind::interrupt ? " on interrupt"
      : cause.kind == Cause::Kind::fail_fast
        ? " after " + cause_text(cause.job, cause.job_status) + " (--fail-fast)"
        : "";
    text.insert(std::min(text.find(':'), text.size()), why);
  }
  return text;
}

} // namespace fanout
