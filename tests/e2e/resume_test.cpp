// SPDX-License-Identifier: MIT
// End-to-end tests of --resume and --rerun-failed (fanout(1), RESUMING): what
// runs again after failures, edits, interrupts and crashes; groups' members;
// two runs at once; state files that fanout did not write whole. Jobs log
// their names to ran.log and succeed when the file NAME.ok exists; a job
// told to block prints "ready" and waits for the test to interrupt it.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <sys/stat.h>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

const std::string k_state = ".fanout/fanout.toml.state";

// A job that appends its name to ran.log, then succeeds if NAME.ok exists.
// `blocking`: without NAME.ok it prints "ready" and sleeps instead.
std::string job(const std::string& name, const std::string& more = "", bool blocking = false)
{
  const std::string otherwise = blocking ? " || '@CHILD@' print 1 ready sleep 60000" : "";
  return "[[job]]\nname = \"" + name + "\"\n" + more + "cmd = \"'@CHILD@' mark ran.log " + name +
         " && (test -e " + name + ".ok" + otherwise + ")\"\n\n";
}

// What ran since the last call, in order; forgets it.
std::vector<std::string> take_ran(const Sandbox& box)
{
  std::vector<std::string> ran = split_lines(box.read_file("ran.log"));
  std::filesystem::remove(box.dir() / "ran.log");
  return ran;
}

using Names = std::vector<std::string>;

} // namespace

TEST(Resume, RunsOnlyTheFailuresAndTheJobsTheyKeptFromRunning)
{
  Sandbox box;
  box.write_jobs(job("a") + job("b") + job("c", "needs = [\"b\"]\n") + job("d"));
  box.write_file("a.ok", "");
  box.write_file("c.ok", "");
  box.write_file("d.ok", "");
  ASSERT_EQ(box.run({"-j", "1"}).exit_code, 1);
  EXPECT_EQ(take_ran(box), (Names{"a", "b", "d"}));
  box.write_file("b.ok", "");

  const auto result = box.run({"-j", "1", "--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"b", "c"}));
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok (2 done in an earlier run)\n"
                                    "  a  ok          0       -  done in an earlier run\n"
                                    "  b  ok          0   T\n"
                                    "  c  ok          0   T\n"
                                    "  d  ok          0       -  done in an earlier run\n");
}

TEST(Resume, AJobWhoseCommandWasEditedRunsAgain)
{
  Sandbox box;
  box.write_jobs(job("a") + job("b"));
  box.write_file("a.ok", "");
  box.write_file("b.ok", "");
  ASSERT_EQ(box.run({}).exit_code, 0);
  take_ran(box);
  box.write_jobs(job("a") + "[[job]]\nname = \"b\"\n"
                            "cmd = \"'@CHILD@' mark ran.log b-edited\"\n");

  const auto result = box.run({"--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"b-edited"});
}

TEST(Resume, JobsRunAgainWhenTheDefaultsEnvironmentChanges)
{
  Sandbox box;
  const std::string jobs = job("a") + job("b");
  box.write_jobs("[defaults]\nenv = { MODE = \"1\" }\n" + jobs);
  box.write_file("a.ok", "");
  box.write_file("b.ok", "");
  ASSERT_EQ(box.run({"-j", "1"}).exit_code, 0);
  ASSERT_EQ(box.run({"--resume"}).exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"a", "b"}));
  box.write_jobs("[defaults]\nenv = { MODE = \"2\" }\n" + jobs);

  const auto result = box.run({"-j", "1", "--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"a", "b"}));
}

TEST(Resume, ADependantOfAJobDoneInAnEarlierRunRuns)
{
  Sandbox box;
  box.write_jobs(job("build") + job("test", "needs = [\"build\"]\n"));
  box.write_file("build.ok", "");
  ASSERT_EQ(box.run({}).exit_code, 1);
  take_ran(box);
  box.write_file("test.ok", "");

  const auto result = box.run({"--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"test"});
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok (1 done in an earlier run)\n"
                                    "  build  ok          0       -  done in an earlier run\n"
                                    "  test   ok          0   T\n");
}

TEST(Resume, RerunFailedRunsWhatDidNotSucceedButNotWhatNeverRan)
{
  Sandbox box;
  box.write_jobs(job("a") + job("b") + job("c", "needs = [\"b\"]\n"));
  box.write_file("a.ok", "");
  box.write_file("c.ok", "");
  ASSERT_EQ(box.run({"-j", "1"}).exit_code, 1);
  take_ran(box);
  box.write_file("b.ok", "");
  box.write_file("new.ok", "");
  box.write_jobs(job("a") + job("b") + job("c", "needs = [\"b\"]\n") + job("new"));

  const auto result = box.run({"-j", "1", "--rerun-failed"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"b", "c"}));
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  b  ok          0   T\n"
                                    "  c  ok          0   T\n");
  const auto again = box.run({"--rerun-failed"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.err, "fanout: no job failed in the last run: nothing to rerun\n");
  ASSERT_EQ(box.run({"--resume"}).exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"new"});
}

TEST(Resume, OnlyTheFailedInputsOfAGroupRunAgain)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "g"
for_each = { values = ["1", "2", "3", "4"] }
cmd = "'@CHILD@' mark ran.log {} && test -e ok-{}"
)");
  box.write_file("ok-1", "");
  box.write_file("ok-3", "");
  const auto first = box.run({"-j", "1", "--resume"});
  ASSERT_EQ(first.exit_code, 1);
  EXPECT_EQ(split_lines(first.err).front(),
            "fanout: no earlier run is recorded in " + k_state + ": every job runs");
  take_ran(box);
  box.write_file("ok-2", "");
  box.write_file("ok-4", "");

  const auto result = box.run({"-j", "1", "--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"2", "4"}));
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok (2 done in an earlier run)\n"
                                    "  g:1:1  ok          0       -  done in an earlier run\n"
                                    "  g:2:2  ok          0   T\n"
                                    "  g:3:3  ok          0       -  done in an earlier run\n"
                                    "  g:4:4  ok          0   T\n");
}

TEST(Resume, RerunFailedRunsTheFailedInputsOfAGroupOnly)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "g"
for_each = { values = ["1", "2", "3"] }
cmd = "'@CHILD@' mark ran.log {} && test -e ok-{}"
)");
  box.write_file("ok-1", "");
  ASSERT_EQ(box.run({"-j", "1"}).exit_code, 1);
  take_ran(box);
  box.write_file("ok-2", "");

  const auto result = box.run({"-j", "1", "--rerun-failed"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(take_ran(box), (Names{"2", "3"}));
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  g:2:2  ok          0   T\n"
                                    "  g:3:3  failed      1   T\n");
}

TEST(Resume, AnInterruptedRunResumesWhereItStoppedTwice)
{
  Sandbox box;
  box.write_jobs(job("a", "", true) + job("b", "", true) + job("c", "", true) + job("d", "", true));
  box.write_file("a.ok", "");
  box.write_file("d.ok", "");
  ASSERT_EQ(box.run({"d"}).exit_code, 0);
  {
    auto fanout = box.start({"-j", "1"});
    ASSERT_TRUE(fanout.wait_for_line("b | ready 1"));
    fanout.send_signal(SIGINT);
    ASSERT_EQ(fanout.finish().exit_code, 130);
  }
  box.write_file("b.ok", "");
  {
    auto fanout = box.start({"-j", "1", "--resume"});
    ASSERT_TRUE(fanout.wait_for_line("c | ready 1"));
    fanout.send_signal(SIGINT);
    ASSERT_EQ(fanout.finish().exit_code, 130);
  }
  EXPECT_EQ(take_ran(box), (Names{"d", "a", "b", "b", "c"}));
  box.write_file("c.ok", "");

  const auto result = box.run({"-j", "1", "--resume"});

  // d, which neither interrupted run reached, keeps its success.
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"c"});
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok (3 done in an earlier run)\n"
                                    "  a  ok          0       -  done in an earlier run\n"
                                    "  b  ok          0       -  done in an earlier run\n"
                                    "  c  ok          0   T\n"
                                    "  d  ok          0       -  done in an earlier run\n");
}

TEST(Resume, ASecondResumedRunRefusesAndAPlainOneRunsUnrecorded)
{
  Sandbox box;
  box.write_jobs(job("x", "", true) + job("y"));
  box.write_file("y.ok", "");
  auto first = box.start({"-j", "1", "--resume"});
  ASSERT_TRUE(first.wait_for_line("x | ready 1"));

  const auto second = box.run({"--resume"});
  const auto plain = box.run({"y"});

  EXPECT_EQ(second.exit_code, 2);
  EXPECT_EQ(second.err, "fanout: error: another fanout run (pid " + std::to_string(first.pid()) +
                          ") is using " + k_state +
                          "; wait for it to end, or give this run another --state\n");
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(mask_times(plain.err), "fanout: 1 job in T: 1 ok\n"
                                   "  y  ok          0   T\n");
  first.send_signal(SIGINT);
  ASSERT_EQ(first.finish().exit_code, 130);
  take_ran(box);
  box.write_file("x.ok", "");
  // The first run never reached y, and the plain run recorded nothing.
  ASSERT_EQ(box.run({"-j", "1", "--resume"}).exit_code, 0);
  EXPECT_EQ(take_ran(box), (Names{"x", "y"}));
}

TEST(Resume, AFanoutKilledMidRunLeavesThePreviousStateIntact)
{
  Sandbox box;
  // b blocks while b.block exists, as fanout's own child (exec), which the
  // kernel kills with fanout.
  box.write_jobs(job("a") + "[[job]]\nname = \"b\"\n"
                            "cmd = \"'@CHILD@' mark ran.log b && if test -e b.block; then "
                            "exec '@CHILD@' pidfile b.pid print 1 ready sleep 60000; fi "
                            "&& test -e b.ok\"\n");
  box.write_file("a.ok", "");
  ASSERT_EQ(box.run({}).exit_code, 1);
  const std::string before = box.read_file(k_state);
  ASSERT_FALSE(before.empty());
  box.write_file("b.block", "");
  {
    auto fanout = box.start({"--resume"});
    ASSERT_TRUE(fanout.wait_for_line("b | ready 1"));
    fanout.send_signal(SIGKILL);
    EXPECT_EQ(fanout.finish().exit_code, -SIGKILL);
  }
  EXPECT_TRUE(e2e::wait_until_gone(box.read_pid("b.pid")));
  EXPECT_EQ(box.read_file(k_state), before);
  std::filesystem::remove(box.dir() / "b.block");
  box.write_file("b.ok", "");
  take_ran(box);

  const auto result = box.run({"--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"b"});
}

TEST(Resume, AHalfWrittenStateIsIgnoredWithAWarningAndReplaced)
{
  Sandbox box;
  box.write_jobs(job("a") + job("b"));
  box.write_file("a.ok", "");
  box.write_file("b.ok", "");
  ASSERT_EQ(box.run({}).exit_code, 0);
  const std::string whole = box.read_file(k_state);
  box.write_file(k_state, whole.substr(0, whole.size() / 2));
  box.write_file(k_state + ".tmp-1-0", whole.substr(0, 10));
  take_ran(box);

  const auto result = box.run({"-j", "1", "--resume"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(split_lines(result.err).front(),
            "fanout: warning: " + k_state + " is damaged: it is ignored, and every job runs");
  EXPECT_EQ(take_ran(box), (Names{"a", "b"}));
  EXPECT_EQ(box.read_file(k_state), whole);
  ASSERT_EQ(box.run({"--resume"}).exit_code, 0);
  EXPECT_TRUE(take_ran(box).empty());
}

TEST(Resume, AFileFanoutDidNotWriteIsLeftAlone)
{
  Sandbox box;
  box.write_jobs(job("a"));
  box.write_file("notes.txt", "my notes\n");

  const auto result = box.run({"--state", "notes.txt"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "fanout: error: notes.txt is not a state that fanout wrote; remove it, "
                        "or name another file with --state\n");
  EXPECT_EQ(box.read_file("notes.txt"), "my notes\n");
  EXPECT_FALSE(box.exists("ran.log"));
}

TEST(Resume, ACommandLineResumesWithANamedState)
{
  Sandbox box;
  box.write_file("ok-1", "");
  box.write_file("ok-3", "");
  const std::string script =
    std::string("'") + TEST_CHILD_BIN + "' mark ran.log \"$0\" && test -e ok-$0";
  const std::vector<std::string> command = {"--", "sh", "-c", script, "{}", ":::", "1", "2", "3"};
  std::vector<std::string> args = {"-j", "1", "--state", "runs.state"};
  args.insert(args.end(), command.begin(), command.end());
  ASSERT_EQ(box.run(args).exit_code, 1);
  take_ran(box);
  box.write_file("ok-2", "");
  args.insert(args.begin(), "--resume");

  const auto result = box.run(args);

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(take_ran(box), Names{"2"});
  EXPECT_FALSE(box.exists(".fanout"));
  std::vector<std::string> unnamed = {"--resume"};
  unnamed.insert(unnamed.end(), command.begin(), command.end());
  const auto refused = box.run(unnamed);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "fanout: error: --resume needs --state FILE with a command after --: "
                         "there is no job file to keep the state beside\n"
                         "Run 'fanout --help' for more information.\n");
}

// A run that leaves the state as it found it does not write it again: the
// file is the same one (its inode); a run that changes it replaces it.
TEST(Resume, ARunThatChangesNothingLeavesTheStateFileAlone)
{
  Sandbox box;
  box.write_jobs(job("a") + job("b"));
  box.write_file("a.ok", "");
  box.write_file("b.ok", "");
  const auto inode = [&box] {
    struct stat info {};
    EXPECT_EQ(::stat((box.dir() / k_state).c_str(), &info), 0);
    return info.st_ino;
  };
  ASSERT_EQ(box.run({}).exit_code, 0);
  const ino_t first = inode();
  const std::string recorded = box.read_file(k_state);

  ASSERT_EQ(box.run({}).exit_code, 0);

  EXPECT_EQ(inode(), first);
  EXPECT_EQ(box.read_file(k_state), recorded);
  std::filesystem::remove(box.dir() / "b.ok");
  ASSERT_EQ(box.run({}).exit_code, 1);
  EXPECT_NE(box.read_file(k_state), recorded);
  EXPECT_NE(inode(), first);
}
