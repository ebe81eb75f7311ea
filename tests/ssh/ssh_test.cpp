// SPDX-License-Identifier: MIT
// fanout --hosts against the test sshd that tests/ssh/up.sh starts on
// 127.0.0.1 (`make test-ssh`). Every test is skipped, with the reason,
// when that sshd does not answer. The far side is this machine, so a remote
// job's pid is a pid here, and test_child runs there as the test user.
#include "../e2e/harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

using e2e::Result;
using e2e::Sandbox;

// Where up.sh keeps the sshd's state, and the user the jobs run as there.
std::string state_dir()
{
  const char* dir = std::getenv("FANOUT_SSH_DIR");
  return dir != nullptr ? dir : "/tmp/fanout-ssh";
}

std::string test_user()
{
  const char* user = std::getenv("FANOUT_SSH_USER");
  return user != nullptr ? user : "fanout-ssh";
}

// Why the suite cannot run, or "" when the test sshd answers.
const std::string& why_not_up()
{
  static const std::string why = [] {
    const std::string config = state_dir() + "/ssh_config";
    if (!std::filesystem::exists(config)) {
      return "no test sshd: " + config + " is missing (run tests/ssh/up.sh as root)";
    }
    const std::string probe =
      "ssh -F " + config + " -o ConnectTimeout=5 fanout-test true </dev/null >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0) {
      return std::string("the test sshd does not answer (run tests/ssh/up.sh as root)");
    }
    return std::string();
  }();
  return why;
}

// The processes of the test user whose command line holds `marker`.
std::string remote_processes(const std::string& marker)
{
  const std::string command = "pgrep -a -u " + test_user() + " -f '" + marker + "'";
  std::string found;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
      found += buffer;
    }
    ::pclose(pipe);
  }
  return found;
}

// Timeouts leave the job time to set its trap up first, even when its
// connection is slow to open on a loaded machine: 3 s.
class Ssh : public testing::Test {
protected:
  void SetUp() override
  {
    if (!why_not_up().empty()) {
      GTEST_SKIP() << why_not_up();
    }
    ::setenv("FANOUT_SSH", ("ssh -F " + state_dir() + "/ssh_config").c_str(), 1);
    // The jobs run as the test user: the folder is theirs too.
    std::filesystem::permissions(box.dir(), std::filesystem::perms::all);
  }

  void TearDown() override
  {
    if (why_not_up().empty()) {
      EXPECT_EQ(remote_processes(box.dir().string()), "") << "left running on the far side";
    }
  }

  // Writes the job file tests/ssh/cases/`name`, each "@DIR@" the
  // sandbox's path: a remote job's command line holds it, which tells its
  // processes from any other.
  void write_case(const std::string& name)
  {
    std::ifstream file(std::string(SSH_CASES_DIR) + "/" + name);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    for (std::size_t at; (at = text.find("@DIR@")) != std::string::npos;) {
      text.replace(at, 5, box.dir().string());
    }
    box.write_jobs(text);
  }

  // Runs fanout with `args` on the job file tests/ssh/cases/`name`.
  Result run_case(const std::string& name, const std::vector<std::string>& args)
  {
    write_case(name);
    return box.run(args);
  }

  // The pid a remote job wrote to `name`, once it is there.
  pid_t remote_pid(const char* name) { return box.wait_for_file(name) ? box.read_pid(name) : 0; }

  Sandbox box;
};

TEST_F(Ssh, StatusesAreTheJobsOwn)
{
  const Result r = run_case("statuses.toml", {"--hosts", "fanout-test"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(e2e::mask_times(r.err.substr(r.err.find("fanout: 6 jobs"))),
            "fanout: 6 jobs in T: 1 ok, 3 failed, 1 killed, 1 could not start\n"
            "  zero        ok          0   T\n"
            "  three       failed      3   T\n"
            "  killed      killed     -9   T  SIGKILL\n"
            "  own-137     failed    137   T\n"
            "  not-found   failed    127   T\n"
            "  no-program  error     127   T  program not found: no-such-program-here\n");
}

TEST_F(Ssh, CwdAndEnvAreCarriedQuotedOnceAndEachStreamIsTagged)
{
  std::filesystem::create_directory(box.dir() / "sub dir");
  std::filesystem::permissions(box.dir() / "sub dir", std::filesystem::perms::all);
  const Result r = run_case("cwd_env.toml", {"--hosts", "fanout-test", "-q"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "a | " + (box.dir() / "sub dir").string() +
                     "\n"
                     "a | [it's \"q\" $HOME `id` a  b \\ ; |]\n"
                     "a | FANOUT_JOB_NAME=a\n"
                     "a | FANOUT_E2E_INHERITED unset\n"
                     "a | end\n");
  EXPECT_EQ(r.err, "a | err\n");
}

TEST_F(Ssh, TimeoutRunsTheTermTrapAndLeavesNothing)
{
  const Result r = run_case("timeout_term.toml", {"--hosts", "fanout-test", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "slow | bye\n");
  EXPECT_NE(r.err.find("  slow  timeout   -15"), std::string::npos) << r.err;
  EXPECT_TRUE(e2e::wait_until_gone(box.read_pid("slow.pid")));
}

TEST_F(Ssh, TimeoutKillsAJobThatIgnoresTerm)
{
  const Result r = run_case("timeout_kill.toml", {"--hosts", "fanout-test", "-q"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("  stubborn  timeout    -9"), std::string::npos) << r.err;
  EXPECT_TRUE(e2e::wait_until_gone(box.read_pid("job.pid")));
  EXPECT_TRUE(e2e::wait_until_gone(box.read_pid("grand.pid")));
}

TEST_F(Ssh, CtrlCStopsTheRemoteJobs)
{
  write_case("ctrl_c.toml");
  e2e::RunningProgram fanout = box.start({"--hosts", "fanout-test"});
  const pid_t a = remote_pid("a.pid");
  const pid_t b = remote_pid("b.pid");
  fanout.send_signal(SIGINT);
  const Result r = fanout.finish();
  EXPECT_EQ(r.exit_code, 130);
  EXPECT_TRUE(e2e::wait_until_gone(a));
  EXPECT_TRUE(e2e::wait_until_gone(b));
  EXPECT_TRUE(e2e::wait_until_gone(box.read_pid("grand.pid")));
}

TEST_F(Ssh, AKilledFanoutLeavesNoRemoteProcess)
{
  write_case("killed_fanout.toml");
  e2e::RunningProgram fanout = box.start({"--hosts", "fanout-test"});
  const pid_t a = remote_pid("a.pid");
  fanout.send_signal(SIGKILL);
  EXPECT_EQ(fanout.finish().exit_code, -SIGKILL);
  EXPECT_TRUE(e2e::wait_until_gone(a));
}

// Each job marks its start and end in one log; the peak is read back from
// it. A rendezvous of N holds the first N jobs until all N run, so the
// peak reaches the slots; it must not pass them.
TEST_F(Ssh, SlotsPerHostBoundConcurrency)
{
  const Result r = run_case("slots.toml", {"--hosts", "3/fanout-test", "-j", "8", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int running = 0;
  int peak = 0;
  for (const std::string& line : e2e::split_lines(box.read_file("log"))) {
    running += line.starts_with('+') ? 1 : -1;
    peak = std::max(peak, running);
  }
  EXPECT_EQ(peak, 3);
}

TEST_F(Ssh, AnUnreachableHostIsAnErrorWithSshsMessage)
{
  const Result r = run_case("unreachable.toml", {"--hosts", "fanout-closed"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
    e2e::mask_times(r.err).find("  a  error     255   T  ssh: connect to host 127.0.0.1 port 1: "
                                "Connection refused\n"),
    std::string::npos)
    << r.err;
}

TEST_F(Ssh, AJobWhoseHostIsDownIsRetriedOnAnother)
{
  const Result r = run_case("retry_elsewhere.toml", {"--hosts", "fanout-closed,fanout-test"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a#2 | ran 1\n");
}

TEST_F(Ssh, FunctionJobsAndTheThreadPoolAreRefused)
{
  Result r = run_case("function_job.toml", {"--hosts", "fanout-test"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "fanout: error: job \"f\" calls a function, which runs only inside fanout: "
                   "--hosts runs only commands (cmd, argv)\n");
  write_case("hosts_table.toml");
  r = box.run({"--pool", "thread"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "fanout: error: [hosts] runs each job as a process of its own: --pool thread "
                   "cannot be used with it\n");
}

// The same job file here and over SSH: the same summary, times aside.
TEST_F(Ssh, TheSummaryIsTheSameAsHere)
{
  write_case("same_summary.toml");
  const Result here = box.run({});
  const Result there = box.run({"--hosts", "2/fanout-test"});
  EXPECT_EQ(there.exit_code, here.exit_code);
  EXPECT_EQ(e2e::mask_times(there.err.substr(there.err.find("fanout: 6 jobs"))),
            e2e::mask_times(here.err.substr(here.err.find("fanout: 6 jobs"))));
  EXPECT_EQ(e2e::sorted_lines(there.out), e2e::sorted_lines(here.out));
}

} // namespace
