// SPDX-License-Identifier: MIT
// End-to-end tests of --launcher slurm against a real Slurm (tests/slurm/up.sh
// starts one, `make test-slurm` runs this suite): each test makes an
// allocation of its own with `salloc --no-shell`, and runs fanout in it as
// a batch script's shell would, with SLURM_JOB_ID and SLURM_NTASKS set. The
// tests that need a cluster are skipped, with the reason, where none is up;
// those of refusals need none.

#include "e2e/harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::most_running;
using e2e::Result;
using e2e::RunningProgram;
using e2e::Sandbox;
using e2e::sorted_lines;
using e2e::split_lines;

namespace {

constexpr const char* k_env = "/usr/bin/env";

// Jobs that each mark "start" in `log`, wait until as many have come to
// their meeting as it names, and mark "end": one job a meeting size.
std::string meeting_jobs(const std::vector<int>& meetings)
{
  std::string jobs;
  for (const int meet : meetings) {
    jobs += "[[job]]\nargv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '" +
            std::to_string(meet) + "', 'mark', 'log', 'end']\n";
  }
  return jobs;
}

// The steps of allocation `job` that squeue lists, one "ID NAME" a line.
std::string steps_of(const Sandbox& box, const std::string& job)
{
  return box.run_program(k_env, {"squeue", "-h", "-s", "-j", job, "-o", "%i %j"}).out;
}

// The lines of `err`, sorted, without those of Slurm's own a job may get
// (srun's and slurmstepd's notes on a step killed or cancelled).
std::vector<std::string> jobs_lines(const std::string& err)
{
  std::vector<std::string> lines = sorted_lines(err);
  std::erase_if(lines, [](const std::string& line) {
    return line.find("| srun: ") != std::string::npos ||
           line.find("| slurmstepd") != std::string::npos;
  });
  return lines;
}

// Slurm signals a step's processes one by one, so a shell could see its
// child die first and exit 143 or 137 by itself, and a child that ignores
// SIGTERM keeps the step alive: a job of these tests that waits does it
// with no process but its shell, in a read of a fifo of its own that no one
// writes (its descriptor 3).
#define IDLE "mkfifo idle.$$; exec 3<>idle.$$; rm idle.$$; "

// Each test runs in an allocation of 8 tasks of its own, made before it
// and released after it; SLURM_JOB_ID and SLURM_NTASKS name it for fanout.
class Slurm : public ::testing::Test {
protected:
  void SetUp() override
  {
    if (std::getenv("SLURM_CONF") == nullptr) {
      GTEST_SKIP() << "no Slurm to test against: SLURM_CONF is not set (make test-slurm "
                      "starts one with tests/slurm/up.sh)";
    }
    const Result ping = m_box.run_program(k_env, {"scontrol", "ping"});
    if (ping.exit_code != 0 || ping.out.find("UP") == std::string::npos) {
      GTEST_SKIP() << "no Slurm to test against: scontrol ping: " << ping.out << ping.err;
    }
    const Result made = m_box.run_program(
      k_env, {"salloc", "--no-shell", "--immediate=30", "-n8", "-t5", "-J", "fanout-test"});
    std::smatch granted;
    const std::regex pattern("Granted job allocation ([0-9]+)");
    ASSERT_TRUE(std::regex_search(made.err, granted, pattern)) << made.err;
    m_job = granted[1];
    ::setenv("SLURM_JOB_ID", m_job.c_str(), 1);
    ::setenv("SLURM_NTASKS", "8", 1);
  }

  void TearDown() override
  {
    if (!m_job.empty()) {
      m_box.run_program(k_env, {"scancel", m_job});
      ::unsetenv("SLURM_JOB_ID");
      ::unsetenv("SLURM_NTASKS");
    }
  }

  Sandbox m_box;
  std::string m_job;
};

constexpr const char* k_statuses = R"(
[[job]]
name = "ok"
cmd = "echo out; echo err >&2"
[[job]]
name = "three"
cmd = "exit 3"
[[job]]
name = "killed"
cmd = "kill -KILL $$"
[[job]]
name = "termed"
cmd = "kill -TERM $$"
[[job]]
name = "own137"
cmd = "exit 137"
[[job]]
name = "missing"
argv = ["no-such-program-here"]
[[job]]
name = "unrunnable"
argv = ["./data.txt"]
[[job]]
name = "shmissing"
cmd = "no-such-program-here"
)";

TEST_F(Slurm, StatusesAreThoseOfALocalRun)
{
  m_box.write_jobs(k_statuses);
  m_box.write_file("data.txt", "not a program\n");

  const Result result = m_box.run({"--launcher", "slurm"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<std::string> summary = lines_after(mask_times(result.err), "  ");
  EXPECT_EQ(summary, (std::vector<std::string>{
                       "ok          ok          0   T",
                       "three       failed      3   T",
                       "killed      killed     -9   T  SIGKILL",
                       "termed      killed    -15   T  SIGTERM",
                       "own137      failed    137   T",
                       "missing     error     127   T  program not found: no-such-program-here",
                       "unrunnable  error     126   T  cannot run \"./data.txt\": Permission "
                       "denied",
                       "shmissing   failed    127   T",
                     }))
    << result.err;
  EXPECT_EQ(result.out, "ok         | out\n");
}

TEST_F(Slurm, OutputIsTaggedWithoutSrunsLines)
{
  m_box.write_jobs(R"(
[[job]]
name = "talk"
cmd = "echo one; echo two >&2; echo three; exit 4"
)");

  const Result result = m_box.run({"--launcher", "slurm", "-q"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "talk | one\ntalk | three\n");
  EXPECT_EQ(lines_after(result.err, "talk | "), std::vector<std::string>{"two"}) << result.err;
  EXPECT_EQ(result.err.find("srun"), std::string::npos) << result.err;
}

TEST_F(Slurm, SameSummaryAndOutputAsALocalRun)
{
  m_box.write_jobs(k_statuses);
  m_box.write_file("data.txt", "not a program\n");

  const Result local = m_box.run({});
  const Result slurm = m_box.run({"--launcher", "slurm"});

  EXPECT_EQ(slurm.exit_code, local.exit_code);
  EXPECT_EQ(jobs_lines(mask_times(slurm.err)), jobs_lines(mask_times(local.err)));
  EXPECT_EQ(sorted_lines(slurm.out), sorted_lines(local.out));
}

// fanout's clock decides: at the timeout the step gets SIGTERM (its trap
// runs and decides its code), and one that ignores it gets SIGKILL after
// the grace. The clock starts with srun, and a SIGTERM that reaches a step
// still starting is lost, so the timeouts leave a step on a loaded machine
// time to start and set its trap up: 3 s.
TEST_F(Slurm, TimeoutSendsTermThenKill)
{
  m_box.write_jobs(R"(
[[job]]
name = "trapper"
timeout = "3s"
cmd = "trap 'echo got TERM; exit 5' TERM; echo started; )" IDLE R"(read x <&3"
[[job]]
name = "stubborn"
timeout = "3s"
grace = "1s"
cmd = "trap 'echo ignored TERM' TERM; echo started; )" IDLE R"(while :; do read x <&3; done"
)");

  const Result result = m_box.run({"--launcher", "slurm"});

  EXPECT_EQ(result.exit_code, 1);
  const std::vector<std::string> summary = lines_after(mask_times(result.err), "  ");
  EXPECT_EQ(summary, (std::vector<std::string>{
                       "trapper   timeout     5   T  SIGTERM after 3s",
                       "stubborn  timeout    -9   T  SIGKILL after 3s + 1s grace",
                     }))
    << result.err;
  EXPECT_EQ(lines_after(result.out, "trapper  | "),
            (std::vector<std::string>{"started", "got TERM"}));
  EXPECT_EQ(lines_after(result.out, "stubborn | "),
            (std::vector<std::string>{"started", "ignored TERM"}));
  EXPECT_EQ(steps_of(m_box, m_job), "");
}

TEST_F(Slurm, InterruptCancelsEveryStep)
{
  m_box.write_jobs(R"(
[[job]]
name = "a"
cmd = "trap 'echo got TERM; exit 7' TERM; echo started; )" IDLE R"(read x <&3"
[[job]]
name = "b"
cmd = "echo started; exec sleep 60"
[[job]]
name = "c"
cmd = "trap '' TERM; echo started; exec sleep 60"
)");

  RunningProgram fanout = m_box.start({"--launcher", "slurm", "--grace", "1s"});
  ASSERT_TRUE(fanout.wait_for_line("a | started"));
  ASSERT_TRUE(fanout.wait_for_line("b | started"));
  ASSERT_TRUE(fanout.wait_for_line("c | started"));
  fanout.send_signal(SIGINT);
  const Result result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130) << result.err;
  const std::vector<std::string> summary = lines_after(mask_times(result.err), "  ");
  EXPECT_EQ(summary, (std::vector<std::string>{
                       "a  cancelled   7   T  SIGTERM on interrupt",
                       "b  cancelled -15   T  SIGTERM on interrupt",
                       "c  cancelled  -9   T  SIGKILL on interrupt",
                     }))
    << result.err;
  EXPECT_EQ(steps_of(m_box, m_job), "");
}

// Jobs meet in threes: three must run at once to get past each meeting, so
// at most three is exactly three. The pool is the allocation's tasks, not
// fanout's default of one per local CPU, and -j caps it.
TEST_F(Slurm, PoolIsTheAllocationsTasks)
{
  m_box.write_jobs(meeting_jobs({3, 3, 3, 6, 6, 6}));
  ::setenv("SLURM_NTASKS", "3", 1);

  const Result result = m_box.run({"--launcher", "slurm", "-q"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(most_running(m_box.read_file("log")), 3);
}

TEST_F(Slurm, JobsCapsThePool)
{
  m_box.write_jobs(meeting_jobs({2, 2, 4, 4}));

  const Result result = m_box.run({"--launcher", "slurm", "-q", "-j", "2"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(most_running(m_box.read_file("log")), 2);
}

TEST_F(Slurm, SrunsOwnFailureIsAnError)
{
  m_box.write_jobs("[[job]]\nname = \"a\"\ncmd = \"echo never\"\n");
  ::setenv("SLURM_JOB_ID", "999999999", 1);

  const Result result = m_box.run({"--launcher", "slurm"});
  ::setenv("SLURM_JOB_ID", m_job.c_str(), 1);

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("a  error       1"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("srun: error: "), std::string::npos) << result.err;
}

// Refusals need no cluster: fanout refuses before it runs anything.
class SlurmRefusal : public ::testing::Test {
protected:
  Sandbox m_box;
};

TEST_F(SlurmRefusal, OutsideAnAllocation)
{
  m_box.write_jobs("[[job]]\nname = \"a\"\ncmd = \"touch ran\"\n");

  const Result result = m_box.run_after("unset SLURM_JOB_ID", {"--launcher", "slurm"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "fanout: error: --launcher slurm runs inside a Slurm allocation, and there is none "
            "(SLURM_JOB_ID is not set): run fanout under salloc (salloc -n 8 fanout "
            "--launcher slurm ...) or in an sbatch script\n");
  EXPECT_FALSE(m_box.exists("ran"));
}

TEST_F(SlurmRefusal, FunctionJobs)
{
  m_box.write_jobs(R"(
[[job]]
name = "a"
cmd = "touch ran"
[[job]]
name = "f"
call = ")" TEST_JOBS_LIB R"(:lines"
)");

  const Result result =
    m_box.run_after("SLURM_JOB_ID=1; export SLURM_JOB_ID", {"--launcher", "slurm"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "fanout: error: job \"f\" calls a function, which runs only inside "
                        "fanout: --launcher slurm runs only commands (cmd, argv)\n");
  EXPECT_FALSE(m_box.exists("ran"));
}

TEST_F(SlurmRefusal, ThreadPool)
{
  m_box.write_jobs("[[job]]\nname = \"a\"\ncmd = \"touch ran\"\n");

  const Result result = m_box.run_after("SLURM_JOB_ID=1; export SLURM_JOB_ID",
                                        {"--launcher", "slurm", "--pool", "thread"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "fanout: error: --launcher slurm runs each job as a process of its own: "
                        "--pool thread cannot be used with it\n");
  EXPECT_FALSE(m_box.exists("ran"));
}

} // namespace
