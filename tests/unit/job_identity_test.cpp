// SPDX-License-Identifier: MIT
// What --resume knows a job by: each field of what it runs changes its
// identity, and nothing else does.
#include "inputs/member_maker.hpp"
#include "jobfile/jobfile.hpp"
#include "run/job_identity.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanout {
namespace {

const std::filesystem::path k_here = "/work/project";

// The identity of job `name` of the job file `text`.
JobIdentity identity_in(const std::string& text, const std::string& name = "a")
{
  const JobFile file = parse_jobfile(text, "ci.toml");
  return identity_of(file.jobs[*file.find(name)], k_here);
}

JobSpec command_job()
{
  JobSpec job;
  job.name = "a";
  job.cmd = "make all";
  job.cwd = "src";
  job.env = JobEnvironment{{"LC_ALL", "C"}};
  return job;
}

TEST(StableHash, IsTheSameInEveryBuild)
{
  // The state on disk depends on it: a change here makes every job of
  // every project run again after an upgrade.
  EXPECT_EQ(StableHash().add("fanout").add(std::uint64_t{42}).value(), 0x35f9'5b46'1772'5018u);
}

TEST(StableHash, TellsWhereOneTextEnds)
{
  EXPECT_NE(StableHash().add("ab").add("c").value(), StableHash().add("a").add("bc").value());
  EXPECT_NE(StableHash().add("").value(), StableHash().value());
  EXPECT_NE(StableHash().add(std::string_view("a\0", 2)).value(), StableHash().add("a").value());
}

TEST(JobIdentity, ChangesWithEachFieldOfWhatAJobRuns)
{
  const JobIdentity base = identity_of(command_job(), k_here);
  std::vector<JobSpec> changed(7, command_job());
  changed[0].cmd = "make check";
  changed[1].cmd.clear();
  changed[1].argv = {"make", "all"};
  changed[2].env = JobEnvironment{{"LC_ALL", "C.UTF-8"}};
  changed[3].env = JobEnvironment{{"LANG", "C"}};
  changed[4].env = JobEnvironment{{"LC_ALL", "C"}, {"X", "1"}};
  changed[5].cwd = "docs";
  changed[6].name = "b";
  for (std::size_t i = 0; i < changed.size(); ++i) {
    const JobIdentity identity = identity_of(changed[i], k_here);
    EXPECT_NE(identity, base) << i;
    EXPECT_EQ(identity.key == base.key, i != 6) << i; // only the name is the key
  }
}

TEST(JobIdentity, ChangesWithTheFunctionItCalls)
{
  JobSpec job = command_job();
  job.cmd.clear();
  job.call = std::make_shared<CallSpec>(CallSpec{"lib/libjobs.so", "resize", {"in.png"}});
  const JobIdentity base = identity_of(job, k_here);
  for (const CallSpec& call : {CallSpec{"lib/libother.so", "resize", {"in.png"}},
                               CallSpec{"lib/libjobs.so", "crop", {"in.png"}},
                               CallSpec{"lib/libjobs.so", "resize", {"in.jpg"}},
                               CallSpec{"lib/libjobs.so", "resize", {"in.png", "x"}}}) {
    job.call = std::make_shared<CallSpec>(call);
    EXPECT_NE(identity_of(job, k_here), base) << call.library << " " << call.symbol;
  }
}

TEST(JobIdentity, ArgvElementsAreNotJoined)
{
  JobSpec one = command_job();
  one.cmd.clear();
  one.argv = {"echo", "a b"};
  JobSpec two = one;
  two.argv = {"echo", "a", "b"};
  EXPECT_NE(identity_of(one, k_here), identity_of(two, k_here));
}

TEST(JobIdentity, TakesTheDefaultsEnvironmentIntoAccount)
{
  const std::string job = "[[job]]\nname = \"a\"\ncmd = \"make\"\n";
  const JobIdentity plain = identity_in(job);
  EXPECT_NE(identity_in("[defaults]\nenv = { CC = \"gcc\" }\n" + job), plain);
  EXPECT_NE(identity_in("[defaults]\nenv = { CC = \"gcc\" }\n" + job),
            identity_in("[defaults]\nenv = { CC = \"clang\" }\n" + job));
}

TEST(JobIdentity, IgnoresPositionLimitsRetriesAndNeeds)
{
  const JobIdentity base = identity_in(R"(
[[job]]
name = "a"
cmd = "make"
[[job]]
name = "b"
cmd = "true"
)");
  EXPECT_EQ(identity_in(R"(
[[job]]
name = "b"
cmd = "true"
[[job]]
name = "c"
cmd = "true"
[[job]]
name = "a"
cmd = "make"
timeout = "5m"
grace = "1s"
retries = 3
allow_failure = true
needs = ["b", "c"]
)"),
            base);
}

TEST(JobIdentity, KnowsAFolderHoweverItIsWritten)
{
  JobSpec job = command_job();
  job.cwd = "src";
  const JobIdentity relative = identity_of(job, k_here);
  job.cwd = "/work/project/src/";
  EXPECT_EQ(identity_of(job, k_here), relative);
  job.cwd = "./lib/../src";
  EXPECT_EQ(identity_of(job, k_here), relative);
  job.cwd = "src";
  EXPECT_NE(identity_of(job, "/work/other"), relative);
}

// A group over one source, its command `cmd`.
JobSpec group_job(const std::string& cmd)
{
  JobSpec group;
  group.name = "gz";
  group.cmd = cmd;
  auto spec = std::make_shared<GroupSpec>();
  spec->sources.emplace_back();
  group.group = std::move(spec);
  return group;
}

TEST(MemberIdentity, ChangesWithTheInputAndTheGroupsCommandNotItsPositionOrSlot)
{
  const JobSpec group = group_job("gzip {}");
  const MemberIdentity members(group, MemberMaker(group).is_numbered(), k_here);
  const JobIdentity a = members.of({{"a.csv"}, 1, 1});
  EXPECT_EQ(members.of({{"a.csv"}, 7, 3}), a);
  EXPECT_NE(members.of({{"b.csv"}, 1, 1}), a);
  EXPECT_NE(members.of({{"b.csv"}, 1, 1}).key, a.key);

  const JobSpec edited = group_job("gzip -9 {}");
  const JobIdentity after_edit = MemberIdentity(edited, false, k_here).of({{"a.csv"}, 1, 1});
  EXPECT_NE(after_edit, a);
  EXPECT_EQ(after_edit.key, a.key); // --rerun-failed still knows it
}

TEST(MemberIdentity, ChangesWithThePositionWhenTheCommandNamesIt)
{
  const JobSpec group = group_job("convert {} out-{#}.png");
  ASSERT_TRUE(MemberMaker(group).is_numbered());
  const MemberIdentity members(group, true, k_here);
  EXPECT_NE(members.of({{"a.png"}, 1, 1}), members.of({{"a.png"}, 2, 1}));
  EXPECT_FALSE(MemberMaker(group_job("run --slot {%} {}")).is_numbered());
}

TEST(MemberIdentity, IsNotTheIdentityOfAJobNamedLikeTheMember)
{
  const JobSpec group = group_job("gzip {}");
  JobSpec job = group;
  job.group.reset();
  job.name = "gz:1:a.csv";
  job.cmd = "gzip a.csv";
  EXPECT_NE(MemberIdentity(group, false, k_here).of({{"a.csv"}, 1, 0}).key,
            identity_of(job, k_here).key);
}

} // namespace
} // namespace fanout
