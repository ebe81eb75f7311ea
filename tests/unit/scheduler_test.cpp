// SPDX-License-Identifier: MIT
#include "fanout/scheduler.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

std::vector<JobId> drain(Scheduler& scheduler)
{
  std::vector<JobId> started;
  while (const auto launch = scheduler.next()) {
    started.push_back(launch->job);
  }
  return started;
}

TEST(Scheduler, StartsInOrderUpToTheLimit)
{
  Scheduler scheduler({4, 1, 7, 2}, 2);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{4, 1}));
  EXPECT_EQ(scheduler.running_count(), 2u);
  scheduler.finish(1);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{7}));
}

TEST(Scheduler, NeverExceedsMaxParallel)
{
  std::vector<JobId> jobs(100);
  for (JobId i = 0; i < jobs.size(); ++i) {
    jobs[i] = i;
  }
  Scheduler scheduler(jobs, 3);
  std::vector<JobId> running = drain(scheduler);
  std::size_t peak = running.size();
  std::vector<JobId> order = running;
  while (!running.empty()) {
    // Finish the newest first: the least friendly order for the bookkeeping.
    scheduler.finish(running.back());
    running.pop_back();
    for (const JobId id : drain(scheduler)) {
      running.push_back(id);
      order.push_back(id);
    }
    peak = std::max(peak, running.size());
  }
  EXPECT_EQ(peak, 3u);
  EXPECT_EQ(order, jobs);
  EXPECT_TRUE(scheduler.is_done());
}

TEST(Scheduler, TakesTheLowestFreeSlot)
{
  Scheduler scheduler({0, 1, 2, 3}, 3);
  EXPECT_EQ(scheduler.next()->slot, 1u);
  EXPECT_EQ(scheduler.next()->slot, 2u);
  EXPECT_EQ(scheduler.next()->slot, 3u);
  scheduler.finish(2);
  scheduler.finish(1);
  const auto launch = scheduler.next();
  EXPECT_EQ(launch->job, 3u);
  EXPECT_EQ(launch->slot, 2u);
}

TEST(Scheduler, StopLeavesTheRestUnstarted)
{
  Scheduler scheduler({0, 1, 2, 3}, 2);
  drain(scheduler);
  scheduler.stop();
  scheduler.finish(0);
  EXPECT_FALSE(scheduler.next().has_value());
  EXPECT_FALSE(scheduler.is_done());
  scheduler.finish(1);
  EXPECT_TRUE(scheduler.is_done());
  EXPECT_EQ(scheduler.unstarted(), (std::vector<JobId>{2, 3}));
}

TEST(Scheduler, NoJobsIsDoneAtOnce)
{
  Scheduler scheduler({}, 4);
  EXPECT_TRUE(scheduler.is_done());
  EXPECT_FALSE(scheduler.next().has_value());
}

} // namespace
} // namespace fanout
