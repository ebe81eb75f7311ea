// SPDX-License-Identifier: MIT
#include "run/scheduler.hpp"
#include "scheduler_plan.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

TEST(Scheduler, StartsInOrderUpToTheLimit)
{
  Plan plan(8);
  Scheduler scheduler(plan.jobs, {4, 1, 7, 2}, 2);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{4, 1}));
  EXPECT_EQ(scheduler.running_count(), 2u);
  scheduler.finish(1, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{7}));
}

TEST(Scheduler, NeverExceedsMaxParallel)
{
  Plan plan(100);
  Scheduler scheduler(plan.jobs, plan.all(), 3);
  std::vector<JobId> running = drain(scheduler);
  std::size_t peak = running.size();
  std::vector<JobId> order = running;
  while (!running.empty()) {
    // Finish the newest first: the least friendly order for the bookkeeping.
    scheduler.finish(running.back(), Scheduler::End::succeeded);
    running.pop_back();
    for (const JobId id : drain(scheduler)) {
      running.push_back(id);
      order.push_back(id);
    }
    peak = std::max(peak, running.size());
  }
  EXPECT_EQ(peak, 3u);
  EXPECT_EQ(order, plan.all());
  EXPECT_TRUE(scheduler.is_done());
}

TEST(Scheduler, TakesTheLowestFreeSlot)
{
  Plan plan(4);
  Scheduler scheduler(plan.jobs, plan.all(), 3);
  EXPECT_EQ(scheduler.next()->slot, 1u);
  EXPECT_EQ(scheduler.next()->slot, 2u);
  EXPECT_EQ(scheduler.next()->slot, 3u);
  scheduler.finish(2, Scheduler::End::succeeded);
  scheduler.finish(1, Scheduler::End::succeeded);
  const auto launch = scheduler.next();
  EXPECT_EQ(launch->job, 3u);
  EXPECT_EQ(launch->slot, 2u);
}

TEST(Scheduler, StopLeavesTheRestUnstarted)
{
  Plan plan(4);
  Scheduler scheduler(plan.jobs, plan.all(), 2);
  drain(scheduler);
  scheduler.stop();
  EXPECT_TRUE(scheduler.has_work());
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_FALSE(scheduler.next().has_value());
  EXPECT_FALSE(scheduler.is_done());
  scheduler.finish(1, Scheduler::End::succeeded);
  EXPECT_FALSE(scheduler.has_work());
  EXPECT_TRUE(scheduler.is_done());
  EXPECT_EQ(scheduler.unstarted(), (std::vector<JobId>{2, 3}));
}

TEST(Scheduler, NoJobsIsDoneAtOnce)
{
  Plan plan(0);
  Scheduler scheduler(plan.jobs, {}, 4);
  EXPECT_TRUE(scheduler.is_done());
  EXPECT_FALSE(scheduler.has_work());
  EXPECT_FALSE(scheduler.next().has_value());
}

TEST(Scheduler, AJobStartsWhenEveryJobItNeedsSucceeded)
{
  Plan plan(4);
  plan.needs(0, {2, 3}); // 0 needs 2 and 3, which come after it in the file
  Scheduler scheduler(plan.jobs, plan.all(), 4);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1, 2, 3}));
  scheduler.finish(2, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  scheduler.finish(3, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
}

TEST(Scheduler, AFailureSkipsEveryJobThatNeedsItNamingItAsTheCause)
{
  Plan plan(5);
  plan.needs(1, {0}).needs(2, {1}).needs(3, {0, 4});
  Scheduler scheduler(plan.jobs, plan.all(), 4);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0, 4}));
  scheduler.finish(4, Scheduler::End::succeeded);
  scheduler.finish(0, Scheduler::End::failed);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  EXPECT_TRUE(scheduler.is_done());
  EXPECT_FALSE(scheduler.has_work());
  for (const JobId id : {1, 2, 3}) {
    EXPECT_EQ(scheduler.skip_cause(id), JobId{0}) << id;
  }
  EXPECT_EQ(scheduler.skip_cause(4), std::nullopt);
  EXPECT_EQ(scheduler.unstarted(), (std::vector<JobId>{1, 2, 3}));
}

TEST(Scheduler, DaemonsTakeNoSlotAndReleaseTheirDependantsWhenReady)
{
  Plan plan(3);
  plan.daemon(0).needs(2, {0});
  Scheduler scheduler(plan.jobs, plan.all(), 1);
  const auto daemon = scheduler.next();
  EXPECT_EQ(daemon->job, 0u);
  EXPECT_EQ(daemon->slot, 0u);
  EXPECT_EQ(scheduler.next()->slot, 1u); // job 1 has the only slot
  EXPECT_EQ(scheduler.running_count(), 1u);
  scheduler.ready(0);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{}));
  scheduler.finish(1, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{2}));
  scheduler.finish(2, Scheduler::End::succeeded);
  EXPECT_FALSE(scheduler.has_work()); // time to stop the daemon
  EXPECT_FALSE(scheduler.is_done());
  scheduler.finish(0, Scheduler::End::failed); // a failure once ready skips nobody
  EXPECT_TRUE(scheduler.is_done());
}

TEST(Scheduler, ADaemonThatEndsBeforeItIsReadySkipsItsDependants)
{
  Plan plan(2);
  plan.daemon(0).needs(1, {0});
  Scheduler scheduler(plan.jobs, plan.all(), 1);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  EXPECT_TRUE(scheduler.has_work());
  scheduler.finish(0, Scheduler::End::failed);
  EXPECT_EQ(scheduler.skip_cause(1), JobId{0});
  EXPECT_TRUE(scheduler.is_done());
}

TEST(Scheduler, AJobFanoutCutShortNeitherReleasesNorSkipsItsDependants)
{
  Plan plan(3);
  plan.daemon(0).daemon(1).needs(1, {0});
  Scheduler scheduler(plan.jobs, plan.all(), 1);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0, 2}));
  scheduler.finish(2, Scheduler::End::succeeded);
  EXPECT_FALSE(scheduler.has_work()); // time to stop daemon 0, not yet ready
  scheduler.stop();
  scheduler.finish(0, Scheduler::End::cut_short);
  EXPECT_EQ(scheduler.skip_cause(1), std::nullopt);
  EXPECT_EQ(scheduler.unstarted(), (std::vector<JobId>{1}));
  EXPECT_TRUE(scheduler.is_done());
}

TEST(Scheduler, APausedJobFreesItsSlotAndResumesAheadOfTheQueue)
{
  Plan plan(3);
  plan.needs(2, {0});
  Scheduler scheduler(plan.jobs, plan.all(), 1);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
  scheduler.pause(0);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
  scheduler.resume(0);
  scheduler.finish(1, Scheduler::End::succeeded);
  const auto again = scheduler.next();
  EXPECT_EQ(again->job, 0u);
  EXPECT_EQ(again->slot, 1u);
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{2}));
}

TEST(Scheduler, APausedJobCountsAsWorkUntilItEnds)
{
  Plan plan(1);
  Scheduler scheduler(plan.jobs, plan.all(), 1);
  drain(scheduler);
  scheduler.pause(0);
  scheduler.stop();
  EXPECT_TRUE(scheduler.has_work());
  EXPECT_FALSE(scheduler.is_done());
  scheduler.finish(0, Scheduler::End::failed);
  EXPECT_FALSE(scheduler.has_work());
  EXPECT_TRUE(scheduler.is_done());
}

// 20,000 jobs, each needing the one before: one at a time, in order.
TEST(Scheduler, ALongChainRunsInOrder)
{
  constexpr std::size_t count = 20'000;
  Plan plan(count);
  for (JobId id = 1; id < count; ++id) {
    plan.needs(id, {id - 1});
  }
  Scheduler scheduler(plan.jobs, plan.all(), 8);
  std::vector<JobId> order;
  for (std::vector<JobId> started = drain(scheduler); !started.empty();
       started = drain(scheduler)) {
    ASSERT_EQ(started.size(), 1u);
    order.push_back(started[0]);
    scheduler.finish(started[0], Scheduler::End::succeeded);
  }
  EXPECT_EQ(order, plan.all());
  EXPECT_TRUE(scheduler.is_done());
}

// 20,000 jobs that all need the first: a failure skips them all at once.
TEST(Scheduler, AWideFanIsReleasedOrSkippedAtOnce)
{
  constexpr std::size_t count = 20'000;
  for (const bool success : {true, false}) {
    Plan plan(count);
    for (JobId id = 1; id < count; ++id) {
      plan.needs(id, {0});
    }
    Scheduler scheduler(plan.jobs, plan.all(), count);
    EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
    scheduler.finish(0, success ? Scheduler::End::succeeded : Scheduler::End::failed);
    EXPECT_EQ(drain(scheduler).size(), success ? count - 1 : 0u);
    EXPECT_EQ(scheduler.unstarted().size(), success ? 0u : count - 1);
  }
}

TEST(SchedulerGroups, AGroupFillsEverySlotWithItsMembers)
{
  Plan plan(1);
  plan.group(0);
  FakeSupply inputs{5};
  Scheduler scheduler(plan.jobs, plan.all(), 3, inputs.supplier());
  std::vector<std::size_t> slots;
  while (const auto launch = scheduler.next()) {
    EXPECT_EQ(launch->job, 0u);
    EXPECT_TRUE(launch->member);
    EXPECT_FALSE(launch->resumed);
    slots.push_back(launch->slot);
  }
  EXPECT_EQ(slots, (std::vector<std::size_t>{1, 2, 3}));
  scheduler.end_member(2);
  const auto next = scheduler.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->slot, 2u);
  EXPECT_EQ(scheduler.running_count(), 3u);
}

TEST(SchedulerGroups, AGroupWaitingForInputLetsTheNextJobGoFirst)
{
  Plan plan(2);
  plan.group(0);
  FakeSupply inputs;
  Scheduler scheduler(plan.jobs, plan.all(), 2, inputs.supplier());
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
  EXPECT_FALSE(scheduler.is_done());
  inputs.ready = 1;
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{0}));
}

TEST(SchedulerGroups, AnExhaustedGroupEndsWhenItsRunnerFinishesIt)
{
  Plan plan(2);
  plan.group(0).needs(1, {0});
  FakeSupply inputs{1};
  Scheduler scheduler(plan.jobs, plan.all(), 2, inputs.supplier());
  const auto member = scheduler.next();
  ASSERT_TRUE(member);
  inputs.ended = true;
  EXPECT_FALSE(scheduler.next());
  scheduler.end_member(member->slot);
  EXPECT_TRUE(scheduler.has_work());
  scheduler.finish(0, Scheduler::End::succeeded);
  EXPECT_EQ(drain(scheduler), (std::vector<JobId>{1}));
}

TEST(SchedulerGroups, AFailedGroupSkipsItsDependants)
{
  Plan plan(2);
  plan.group(0).needs(1, {0});
  FakeSupply inputs{0, true};
  Scheduler scheduler(plan.jobs, plan.all(), 1, inputs.supplier());
  EXPECT_FALSE(scheduler.next());
  scheduler.finish(0, Scheduler::End::failed);
  EXPECT_EQ(scheduler.skip_cause(1), JobId{0});
  EXPECT_TRUE(scheduler.is_done());
}

TEST(SchedulerGroups, APausedMemberResumesAheadOfNewInputsUnderItsKey)
{
  Plan plan(1);
  plan.group(0);
  FakeSupply inputs{3};
  Scheduler scheduler(plan.jobs, plan.all(), 1, inputs.supplier());
  const auto first = scheduler.next();
  ASSERT_TRUE(first);
  scheduler.pause_member(first->slot);
  EXPECT_EQ(scheduler.running_count(), 0u);
  const auto second = scheduler.next();
  ASSERT_TRUE(second);
  scheduler.resume_member(0, 42);
  scheduler.end_member(second->slot);
  const auto again = scheduler.next();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->resumed, std::optional<std::uint64_t>{42});
  scheduler.end_member(again->slot);
  inputs.ended = true;
  inputs.ready = 0;
  EXPECT_FALSE(scheduler.next());
  EXPECT_TRUE(scheduler.is_done());
}

TEST(SchedulerGroups, AStoppedRunAsksAGroupForNothingMore)
{
  Plan plan(1);
  plan.group(0);
  FakeSupply inputs{10};
  Scheduler scheduler(plan.jobs, plan.all(), 2, inputs.supplier());
  EXPECT_EQ(drain(scheduler).size(), 2u);
  scheduler.stop();
  const std::size_t asked = inputs.asked;
  EXPECT_FALSE(scheduler.next());
  EXPECT_EQ(inputs.asked, asked);
  EXPECT_TRUE(scheduler.has_work());
  scheduler.end_member(1);
  scheduler.end_member(2);
  EXPECT_FALSE(scheduler.has_work());
  EXPECT_TRUE(scheduler.is_done());
}

} // namespace
} // namespace fanout
