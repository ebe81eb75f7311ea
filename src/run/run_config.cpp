// SPDX-License-Identifier: MIT
#include "run/run_config.hpp"

#include "run/run_events.hpp"

namespace fanout {

JobLimits limits_of(const JobSpec& job, const RunConfig& config)
{
  const auto timeout = job.timeout ? job.timeout : config.timeout;
  return {timeout.value_or(Duration::zero()), job.grace.value_or(config.grace)};
}

bool is_retryable(const Outcome& outcome)
{
  const Status status = outcome.status;
  return status == Status::failed || status == Status::killed || status == Status::timeout ||
         (status == Status::error && outcome.is_launcher_error);
}

Duration retry_delay(const Lifecycle& life, unsigned attempts_made)
{
  Duration delay = life.retry_delay;
  for (unsigned i = 1; i < attempts_made && delay < std::chrono::hours(24); ++i) {
    delay *= 2;
  }
  return delay;
}

bool fails_run(const JobResult& result)
{
  return !succeeded(result.outcome) && result.outcome.status != Status::stopped && !result.allowed;
}

bool is_allowed_failure(const JobResult& result)
{
  return result.allowed && result.outcome.status != Status::skipped && !succeeded(result.outcome);
}

void Tally::add(const JobResult& result)
{
  ++jobs;
  if (is_allowed_failure(result)) {
    ++allowed_failures;
  } else {
    ++by_status[static_cast<std::size_t>(result.outcome.status)];
  }
  if (result.outcome.cause.kind == Cause::Kind::earlier_run) {
    ++earlier;
  }
  fails = fails || fails_run(result);
}

} // namespace fanout
