// SPDX-License-Identifier: MIT
// For the scheduler's tests: jobs as the scheduler sees them, and a
// group's inputs as a test hands them out.
#pragma once

#include "run/scheduler.hpp"

#include <memory>
#include <numeric>
#include <utility>
#include <vector>

namespace fanout {

// Jobs without names or commands: the scheduler reads only their lifecycle.
struct Plan {
  std::vector<JobSpec> jobs;

  explicit Plan(std::size_t count) : jobs(count) {}

  Plan& needs(JobId id, std::vector<JobId> needs)
  {
    edit(id).needs = std::move(needs);
    return *this;
  }

  Plan& group(JobId id)
  {
    jobs[id].group = std::make_shared<GroupSpec>();
    return *this;
  }

  Plan& daemon(JobId id)
  {
    edit(id).daemon = true;
    return *this;
  }

  Plan& pool(JobId id, std::shared_ptr<const PoolSpec> pool)
  {
    edit(id).pool = std::move(pool);
    return *this;
  }

  std::vector<JobId> all() const
  {
    std::vector<JobId> ids(jobs.size());
    std::iota(ids.begin(), ids.end(), JobId{0});
    return ids;
  }

private:
  Lifecycle& edit(JobId id)
  {
    auto life = std::make_shared<Lifecycle>(jobs[id].life());
    Lifecycle& ref = *life;
    jobs[id].lifecycle = std::move(life);
    return ref;
  }
};

inline std::vector<JobId> drain(Scheduler& scheduler)
{
  std::vector<JobId> started;
  while (const auto launch = scheduler.next()) {
    started.push_back(launch->job);
  }
  return started;
}

// A group's inputs as a test hands them out: `ready` of them now, more
// later, and then the end.
struct FakeSupply {
  std::size_t ready = 0;
  bool ended = false;
  std::size_t asked = 0;

  Supplier supplier()
  {
    return [this](JobId) {
      ++asked;
      if (ready > 0) {
        --ready;
        return Supply::ready;
      }
      return ended ? Supply::exhausted : Supply::later;
    };
  }
};

} // namespace fanout
