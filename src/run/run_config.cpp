// SPDX-License-Identifier: MIT
#include "run/run_config.hpp"

#include "run/run_events.hpp"

namespace fanout {

JobLimits limits_of(const JobSpec& job, const RunConfig& config)
{
  const auto timeout = job.timeout ? job.timeout : config.timeout;
  return {timeout.value_or(Duration::zero()), job.grace.value_or(config.grace)};
}

bool fails_run(const JobResult& result)
{
  return !succeeded(result.outcome) && result.outcome.status != Status::stopped && !result.allowed;
}

} // namespace fanout
