// SPDX-License-Identifier: MIT
#include "exec/launch_plan.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace fanout {
namespace {

using Strings = std::vector<std::string>;

JobSpec command_job(std::string name, JobEnvironment env)
{
  JobSpec job;
  job.name = std::move(name);
  job.argv = {"prog", "--flag"};
  job.cwd = "/some/dir";
  job.env = std::move(env);
  return job;
}

Strings strings_of(const char* const* list)
{
  Strings strings;
  for (; *list != nullptr; ++list) {
    strings.emplace_back(*list);
  }
  return strings;
}

Attempt attempt_of(const JobSpec& job, JobId id, std::size_t slot, unsigned number = 1)
{
  Attempt attempt;
  attempt.id = id;
  attempt.job = &job;
  attempt.slot = slot;
  attempt.number = number;
  return attempt;
}

Strings envp_of(const LaunchPlan& plan)
{
  return strings_of(plan.request(3, 4).envp);
}

std::string path_of(const LaunchPlan& plan)
{
  return std::string(plan.request(3, 4).path);
}

TEST(LaunchPlan, InheritedEntriesThenTheJobsThenFanouts)
{
  BaseEnvironment base(Strings{"HOME=/home/u", "PATH=/usr/bin", "LANG=C", "TERM=xterm"});
  const JobSpec job = command_job("build", {{"LANG", "fr_FR"}, {"A", "1"}, {"HOME", "/x"}});

  const LaunchPlan plan(attempt_of(job, 4, 2), base);

  EXPECT_EQ(envp_of(plan), (Strings{"PATH=/usr/bin", "TERM=xterm", "LANG=fr_FR", "A=1", "HOME=/x",
                                    "FANOUT_JOB_NAME=build", "FANOUT_JOB_INDEX=5", "FANOUT_SLOT=2",
                                    "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, JobserverSetsMakeflagsInItsPlaceAndKeepsItsDescriptors)
{
  const JobserverShare jobserver{" -j4 --jobserver-auth=5,6", KeptFds{5, 6}};
  BaseEnvironment base(Strings{"A=1", "MAKEFLAGS=k", "B=2"}, jobserver);
  const JobSpec job = command_job("make", {});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(envp_of(plan),
            (Strings{"A=1", "MAKEFLAGS= -j4 --jobserver-auth=5,6", "B=2", "FANOUT_JOB_NAME=make",
                     "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(plan.request(3, 4).kept, (KeptFds{5, 6}));
}

TEST(LaunchPlan, NoJobserverLeavesMakeflagsAndKeepsNoDescriptor)
{
  BaseEnvironment base(Strings{"MAKEFLAGS=k"});
  const JobSpec job = command_job("make", {});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(envp_of(plan).front(), "MAKEFLAGS=k");
  EXPECT_EQ(plan.request(3, 4).kept, k_no_kept_fds);
}

TEST(LaunchPlan, AttemptNumberIsFanoutAttempt)
{
  BaseEnvironment base(Strings{"FANOUT_ATTEMPT=9"});
  const JobSpec job = command_job("flaky", {{"FANOUT_ATTEMPT", "7"}});

  const LaunchPlan plan(attempt_of(job, 0, 1, 3), base);

  EXPECT_EQ(envp_of(plan), (Strings{"FANOUT_JOB_NAME=flaky", "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1",
                                    "FANOUT_ATTEMPT=3"}));
}

TEST(LaunchPlan, KeySetTwiceKeepsItsLastValueInItsLastPlace)
{
  BaseEnvironment base(Strings{"A=0", "C=4"});
  const JobSpec job = command_job("j", {{"A", "1"}, {"B", "2"}, {"A", "3"}, {"E", ""}});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(envp_of(plan), (Strings{"C=4", "B=2", "A=3", "E=", "FANOUT_JOB_NAME=j",
                                    "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, FanoutsOwnVariablesWinOverTheJobsAndTheInherited)
{
  BaseEnvironment base(
    Strings{"FANOUT_SLOT=7", "FANOUT_JOB_NAME=outer", "Y=2", "FANOUT_JOB_INDEX=9"});
  const JobSpec job =
    command_job("inner", {{"FANOUT_SLOT", "99"}, {"X", "1"}, {"FANOUT_JOB_NAME", "me"}});

  const LaunchPlan plan(attempt_of(job, 2, 3), base);

  EXPECT_EQ(envp_of(plan), (Strings{"Y=2", "X=1", "FANOUT_JOB_NAME=inner", "FANOUT_JOB_INDEX=3",
                                    "FANOUT_SLOT=3", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, PathIsTheJobsWhenItSetsOne)
{
  BaseEnvironment base(Strings{"PATH=/usr/bin", "PATHEXT=.x"});
  const JobSpec job = command_job("j", {{"PATH", "/opt/a"}, {"PATH", "/opt/b"}});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(path_of(plan), "/opt/b");
  EXPECT_EQ(envp_of(plan), (Strings{"PATHEXT=.x", "PATH=/opt/b", "FANOUT_JOB_NAME=j",
                                    "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, PathIsFanoutsWhenTheJobSetsNone)
{
  BaseEnvironment base(Strings{"PATH=/first", "PATHX=/no", "PATH=/second", "PAT=/no"});
  const JobSpec job = command_job("j", {{"OTHER", "1"}});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(path_of(plan), "/second");
}

TEST(LaunchPlan, DefaultPathWhenNeitherSetsOne)
{
  BaseEnvironment base(Strings{"HOME=/h"});
  const JobSpec job = command_job("j", {});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(path_of(plan), "/usr/local/bin:/usr/bin:/bin");
  EXPECT_EQ(envp_of(plan), (Strings{"HOME=/h", "FANOUT_JOB_NAME=j", "FANOUT_JOB_INDEX=1",
                                    "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, InheritedEntryWithoutEqualsSignIsKeptUnlessTheJobSetsItsName)
{
  BaseEnvironment base(Strings{"ODD", "A=1", "ODD2"});
  const JobSpec keeps = command_job("keeps", {{"ODD3", "x"}});
  const JobSpec sets = command_job("sets", {{"ODD", "x"}});

  const LaunchPlan kept(attempt_of(keeps, 0, 1), base);
  const LaunchPlan replaced(attempt_of(sets, 1, 1), base);

  EXPECT_EQ(envp_of(kept), (Strings{"ODD", "A=1", "ODD2", "ODD3=x", "FANOUT_JOB_NAME=keeps",
                                    "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(envp_of(replaced),
            (Strings{"A=1", "ODD2", "ODD=x", "FANOUT_JOB_NAME=sets", "FANOUT_JOB_INDEX=2",
                     "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, InheritedKeySetTwiceIsKeptTwiceUnlessTheJobSetsIt)
{
  BaseEnvironment base(Strings{"A=1", "B=1", "A=2", "B=2"});
  const JobSpec job = command_job("j", {{"B", "3"}});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(envp_of(plan), (Strings{"A=1", "A=2", "B=3", "FANOUT_JOB_NAME=j", "FANOUT_JOB_INDEX=1",
                                    "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
}

TEST(LaunchPlan, JobsSharingAListDifferOnlyInFanoutsVariables)
{
  BaseEnvironment base(Strings{"PATH=/usr/bin", "KEEP=1", "SHARED=old"});
  const JobEnvironment shared{{"SHARED", "new"}, {"PATH", "/opt/bin"}};
  const JobSpec first = command_job("first", shared);
  const JobSpec second = command_job("second", shared);
  const JobSpec alike = command_job("alike", {{"SHARED", "new"}, {"PATH", "/opt/bin"}});
  const JobSpec none = command_job("none", {});

  const LaunchPlan plan1(attempt_of(first, 0, 1), base);
  const LaunchPlan plan2(attempt_of(second, 1, 2), base);
  const LaunchPlan plan3(attempt_of(alike, 2, 1), base);
  const LaunchPlan plan4(attempt_of(none, 3, 2), base);

  EXPECT_EQ(envp_of(plan1),
            (Strings{"KEEP=1", "SHARED=new", "PATH=/opt/bin", "FANOUT_JOB_NAME=first",
                     "FANOUT_JOB_INDEX=1", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(envp_of(plan2),
            (Strings{"KEEP=1", "SHARED=new", "PATH=/opt/bin", "FANOUT_JOB_NAME=second",
                     "FANOUT_JOB_INDEX=2", "FANOUT_SLOT=2", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(envp_of(plan3),
            (Strings{"KEEP=1", "SHARED=new", "PATH=/opt/bin", "FANOUT_JOB_NAME=alike",
                     "FANOUT_JOB_INDEX=3", "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(envp_of(plan4),
            (Strings{"PATH=/usr/bin", "KEEP=1", "SHARED=old", "FANOUT_JOB_NAME=none",
                     "FANOUT_JOB_INDEX=4", "FANOUT_SLOT=2", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(path_of(plan1), "/opt/bin");
  EXPECT_EQ(path_of(plan2), "/opt/bin");
  EXPECT_EQ(path_of(plan4), "/usr/bin");
}

TEST(LaunchPlan, JobsSharingAListShareItsMerge)
{
  BaseEnvironment base(Strings{"A=1"});
  const JobEnvironment shared{{"B", "2"}};
  const JobEnvironment alike{{"B", "2"}};

  const auto merged = base.merged_with(shared);

  EXPECT_EQ(base.merged_with(JobEnvironment(shared)), merged);
  EXPECT_NE(base.merged_with(alike), merged);
  EXPECT_EQ(base.merged_with(JobEnvironment()), base.merged_with(JobEnvironment()));
}

// Lists come and go while a run goes on: each job gets its own list's
// environment whatever the others' were.
TEST(LaunchPlan, ManyListsOneAfterTheOther)
{
  BaseEnvironment base(Strings{"PATH=/usr/bin", "V=inherited"});
  std::vector<JobSpec> jobs;
  for (int i = 0; i < 40; ++i) {
    jobs.push_back(command_job("job" + std::to_string(i), {{"V", std::to_string(i)}}));
  }
  jobs.push_back(command_job("again", jobs[0].env));

  for (std::size_t id = 0; id < jobs.size(); ++id) {
    const LaunchPlan plan(attempt_of(jobs[id], id, 1), base);
    const std::string value = id < 40 ? std::to_string(id) : "0";
    EXPECT_EQ(
      envp_of(plan),
      (Strings{"PATH=/usr/bin", "V=" + value, "FANOUT_JOB_NAME=" + jobs[id].name,
               "FANOUT_JOB_INDEX=" + std::to_string(id + 1), "FANOUT_SLOT=1", "FANOUT_ATTEMPT=1"}));
  }
}

// A worker thread may spawn the job after it was discarded.
TEST(LaunchPlan, OutlivesItsJobAndFanoutsEnvironment)
{
  std::unique_ptr<const LaunchPlan> plan;
  {
    BaseEnvironment base(Strings{"PATH=/usr/bin:/bin", "A=1"});
    JobSpec job = command_job("gone", JobEnvironment{{"B", "2"}});
    job.cmd = "echo $B";
    plan = std::make_unique<const LaunchPlan>(attempt_of(job, 6, 2), base);
  }

  const SpawnRequest request = plan->request(5, 6);

  EXPECT_EQ(strings_of(request.argv), (Strings{"/bin/sh", "-c", "echo $B"}));
  EXPECT_EQ(strings_of(request.envp),
            (Strings{"PATH=/usr/bin:/bin", "A=1", "B=2", "FANOUT_JOB_NAME=gone",
                     "FANOUT_JOB_INDEX=7", "FANOUT_SLOT=2", "FANOUT_ATTEMPT=1"}));
  EXPECT_EQ(request.path, "/usr/bin:/bin");
  EXPECT_STREQ(request.cwd, "/some/dir");
  EXPECT_EQ(request.out_fd, 5);
  EXPECT_EQ(request.err_fd, 6);
}

TEST(LaunchPlan, ArgvJobRunsItsProgram)
{
  BaseEnvironment base(Strings{});
  const JobSpec job = command_job("j", {});

  const LaunchPlan plan(attempt_of(job, 0, 1), base);

  EXPECT_EQ(strings_of(plan.request(3, 4).argv), (Strings{"prog", "--flag"}));
  EXPECT_EQ(plan.cwd(), "/some/dir");
}

// A function job's process is a fork of fanout: it gets these on top of
// fanout's environment, in this order.
TEST(LaunchPlan, FunctionJobAddsItsEntriesThenFanouts)
{
  BaseEnvironment base(Strings{"A=0", "PATH=/usr/bin"});
  JobSpec job = command_job("f", {{"A", "1"}, {"FANOUT_SLOT", "x"}, {"A", "2"}});
  job.argv.clear();
  job.call = std::make_shared<const CallSpec>(CallSpec{"/lib/x.so", "run", {}});

  const LaunchPlan plan(attempt_of(job, 1, 2), base);

  EXPECT_EQ(plan.added(), (Strings{"A=1", "FANOUT_SLOT=x", "A=2", "FANOUT_JOB_NAME=f",
                                   "FANOUT_JOB_INDEX=2", "FANOUT_SLOT=2", "FANOUT_ATTEMPT=1"}));
}

} // namespace
} // namespace fanout
