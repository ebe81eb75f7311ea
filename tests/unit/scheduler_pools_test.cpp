// SPDX-License-Identifier: MIT
// Named pools in the scheduler: at most a pool's size of its jobs at once,
// within -j, without holding up the jobs of other pools.
#include "run/scheduler.hpp"
#include "scheduler_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fanout {
namespace {

std::shared_ptr<const PoolSpec> pool_of_size(std::size_t size)
{
  return std::make_shared<const PoolSpec>(PoolSpec{"db", size});
}

TEST(SchedulerPools, AFullPoolHoldsUpOnlyItsOwnJobs)
{
  Plan plan(5);
  const auto db = pool_of_size(1);
  plan.pool(0, db).pool(1, db).pool(2, db);
  Scheduler scheduler(plan.jobs, plan.all(), 4);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0, 3, 4}));
  scheduler.finish(3, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
  scheduler.finish(1, Scheduler::End::failed);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{2}));
}

TEST(SchedulerPools, AJobThatWaitedForItsPoolGoesAheadOfLaterJobs)
{
  Plan plan(5);
  const auto db = pool_of_size(1);
  plan.pool(0, db).pool(1, db);
  Scheduler scheduler(plan.jobs, plan.all(), 2);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0, 2}));
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
  scheduler.finish(2, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{3}));
}

TEST(SchedulerPools, NeverExceedsAPoolsSizeNorMaxParallel)
{
  Plan plan(200);
  const auto db = pool_of_size(2);
  for (JobId id = 0; id < 200; id += 2) {
    plan.pool(id, db);
  }
  Scheduler scheduler(plan.jobs, plan.all(), 5);
  std::vector<JobId> running = drain(scheduler);
  std::vector<JobId> started = running;
  std::size_t peak_in_pool = 0;
  std::size_t peak = 0;
  while (!running.empty()) {
    const auto in_pool =
      std::count_if(running.begin(), running.end(), [](JobId id) { return id % 2 == 0; });
    peak_in_pool = std::max(peak_in_pool, static_cast<std::size_t>(in_pool));
    peak = std::max(peak, running.size());
    // Finish the newest first: the least friendly order for the bookkeeping.
    scheduler.finish(running.back(), Scheduler::End::succeeded);
    running.pop_back();
    for (const JobId id : drain(scheduler)) {
      running.push_back(id);
      started.push_back(id);
    }
  }
  EXPECT_EQ(peak_in_pool, 2u);
  EXPECT_EQ(peak, 5u);
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, plan.all());
  EXPECT_TRUE(scheduler.is_done());
}

TEST(SchedulerPools, APausedJobHoldsNoPlaceInItsPool)
{
  Plan plan(2);
  const auto db = pool_of_size(1);
  plan.pool(0, db).pool(1, db);
  Scheduler scheduler(plan.jobs, plan.all(), 2);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  scheduler.pause(0);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
  scheduler.resume(0);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  scheduler.finish(1, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_TRUE(scheduler.is_done());
}

TEST(SchedulerPools, AGroupsMembersShareItsPool)
{
  Plan plan(2);
  plan.group(0).pool(0, pool_of_size(2));
  FakeSupply inputs{5, true};
  Scheduler scheduler(plan.jobs, plan.all(), 8, inputs.supplier());
  std::vector<std::size_t> slots;
  std::vector<JobId> started;
  while (const auto launch = scheduler.next()) {
    started.push_back(launch->job);
    slots.push_back(launch->slot);
  }
  EXPECT_EQ(started, (std::vector<JobId>{0, 0, 1}));
  scheduler.end_member(slots[1]);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  EXPECT_EQ(scheduler.running_count(), 3u);
}

TEST(SchedulerPools, AMemberBackForARetryWaitsForAPlace)
{
  Plan plan(1);
  plan.group(0).pool(0, pool_of_size(1));
  FakeSupply inputs{2, true};
  Scheduler scheduler(plan.jobs, plan.all(), 4, inputs.supplier());
  const auto first = scheduler.next();
  ASSERT_TRUE(first);
  EXPECT_FALSE(scheduler.next());
  scheduler.pause_member(first->slot);
  const auto second = scheduler.next();
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->resumed);
  scheduler.resume_member(0, 7);
  EXPECT_FALSE(scheduler.next());
  scheduler.end_member(second->slot);
  const auto again = scheduler.next();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->resumed, std::optional<std::uint64_t>(7));
  scheduler.end_member(again->slot);
  EXPECT_FALSE(scheduler.next());
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_TRUE(scheduler.is_done());
}

TEST(SchedulerPools, AGroupWaitingForInputLetsItsPoolsNextJobGoFirst)
{
  Plan plan(3);
  const auto db = pool_of_size(1);
  plan.pool(0, db).pool(2, db).group(1).pool(1, db);
  FakeSupply inputs;
  Scheduler scheduler(plan.jobs, plan.all(), 4, inputs.supplier());
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{2}));
  inputs.ready = 1;
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  scheduler.finish(2, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
}

} // namespace
} // namespace fanout
