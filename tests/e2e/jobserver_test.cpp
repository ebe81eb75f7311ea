// SPDX-License-Identifier: MIT
// make's jobserver, both ways, with GNU make: fanout under `make -jN` takes
// a token for each job beyond its first, and a make run by a job shares
// fanout's free slots. Each job appends "+" to a log as it starts and "-"
// before it ends (one write each), so the log's order is the order they
// happened in, and its peak is a floor of how many jobs ran at once.
#include "harness.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using e2e::Sandbox;

// The most jobs at once in `log` whose lines start with `tag`.
int peak_of(const std::string& log, std::string_view tag = "")
{
  int now = 0;
  int peak = 0;
  std::size_t start = 0;
  while (start < log.size()) {
    const std::size_t end = log.find('\n', start);
    const std::string_view line(log.data() + start, end - start);
    if (line.starts_with(tag)) {
      now += line.ends_with('+') ? 1 : -1;
      peak = std::max(peak, now);
    }
    start = end + 1;
  }
  return peak;
}

// A job named `name` that runs test_child with `steps`, each quoted.
std::string child_job(const std::string& name, const std::vector<std::string>& steps)
{
  std::string text = "[[job]]\nname = \"" + name + "\"\nargv = ['@CHILD@'";
  for (const std::string& step : steps) {
    text += ", '" + step + "'";
  }
  return text + "]\n";
}

// `count` jobs named `prefix`1.. that log their start and end in
// `log` (tagged `tag`), meet in `meeting` (so that two of them must run
// at once) and work a little in between.
std::string logging_jobs(const std::string& prefix, int count, const std::string& log,
                         const std::string& meeting, const std::string& tag = "")
{
  std::string text;
  for (int i = 1; i <= count; ++i) {
    text += child_job(prefix + std::to_string(i), {"mark", log, tag + "+", "rendezvous", meeting,
                                                   "2", "sleep", "20", "mark", log, tag + "-"});
  }
  return text;
}

// The suite's pool for a fanout that make runs.
std::string pool_option()
{
  const char* pool = std::getenv("FANOUT_E2E_POOL");
  return pool != nullptr && *pool != '\0' ? std::string(" --pool ") + pool : std::string();
}

// A fifo in `box` holding `tokens`, make 4.4's jobserver, held open by the
// test both ways so that it keeps its bytes while no one else has it open.
class FifoJobserver {
public:
  FifoJobserver(const Sandbox& box, const std::string& tokens) : m_path(box.dir() / "jobserver")
  {
    if (::mkfifo(m_path.c_str(), 0600) != 0) {
      ADD_FAILURE() << "mkfifo: " << errno;
    }
    m_read = ::open(m_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    m_write = ::open(m_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    EXPECT_EQ(::write(m_write, tokens.data(), tokens.size()), static_cast<ssize_t>(tokens.size()));
  }
  ~FifoJobserver()
  {
    ::close(m_read);
    ::close(m_write);
  }
  FifoJobserver(const FifoJobserver&) = delete;
  FifoJobserver& operator=(const FifoJobserver&) = delete;

  // The shell line that gives fanout this jobserver for `jobs`.
  std::string makeflags(int jobs) const
  {
    return "export MAKEFLAGS=' -j" + std::to_string(jobs) +
           " --jobserver-auth=fifo:" + m_path.string() + "'";
  }

  // The tokens in it now, sorted.
  std::string tokens() const
  {
    std::string all(64, '\0');
    const ssize_t n = ::read(m_read, all.data(), all.size());
    all.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    std::sort(all.begin(), all.end());
    return all;
  }

private:
  std::filesystem::path m_path;
  int m_read = -1;
  int m_write = -1;
};

TEST(Jobserver, MakeJ4RunningTwoFanoutsRunsAtMostFourJobsAtOnce)
{
  Sandbox box;
  const std::string log = (box.dir() / "log").string();
  const std::string meeting = (box.dir() / "met").string();
  box.write_file("a.toml", logging_jobs("a", 8, log, meeting));
  box.write_file("b.toml", logging_jobs("b", 8, log, meeting));
  const std::string fanout = std::string(FANOUT_BIN) + pool_option() + " -q -j8 -f ";
  box.write_file("Makefile",
                 "all: a b\na:\n\t+@" + fanout + "a.toml\nb:\n\t+@" + fanout + "b.toml\n");

  const auto result = box.run_program("/usr/bin/make", {"-j4", "--no-print-directory"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const int peak = peak_of(box.read_file("log"));
  EXPECT_LE(peak, 4);
  EXPECT_GT(peak, 1);
  RecordProperty("peak", peak);
}

TEST(Jobserver, MakeRunByAJobSharesFanoutsFreeSlots)
{
  Sandbox box;
  const std::string log = (box.dir() / "log").string();
  std::string makefile = "all: r1 r2 r3 r4\n";
  for (int i = 1; i <= 4; ++i) {
    // The recipes meet in pairs: the make must run two at once.
    makefile += "r" + std::to_string(i) + ":\n\t@@CHILD@ mark " + log + " r+ rendezvous " +
                (box.dir() / "recipes").string() + " 2 sleep 20 mark " + log + " r-\n";
  }
  box.write_file("sub/Makefile", makefile);
  box.write_jobs("[[job]]\nname = \"make\"\nargv = ['make', '--no-print-directory', '-C', "
                 "'sub']\n" +
                 logging_jobs("j", 6, log, (box.dir() / "jobs").string(), "j"));

  const auto result = box.run({"-q", "-j4"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string lines = box.read_file("log");
  const int peak = peak_of(lines);
  const int recipes_peak = peak_of(lines, "r");
  EXPECT_LE(peak, 4);
  EXPECT_GT(recipes_peak, 1);
  RecordProperty("peak", peak);
  RecordProperty("recipes_peak", recipes_peak);
}

TEST(Jobserver, JobsOfAFifoJobserverRunWithinItsTokensAndGiveThemBack)
{
  Sandbox box;
  const FifoJobserver jobserver(box, "ab");
  const std::string log = (box.dir() / "log").string();
  box.write_jobs(logging_jobs("j", 8, log, (box.dir() / "met").string()));

  const auto result = box.run_after(jobserver.makeflags(3), {"-q", "-j8"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const int peak = peak_of(box.read_file("log"));
  EXPECT_LE(peak, 3);
  EXPECT_GT(peak, 1);
  RecordProperty("peak", peak);
  EXPECT_EQ(jobserver.tokens(), "ab");
}

TEST(Jobserver, TokensAreBackAfterAnInterruptWhileJobsRunAndOneWaits)
{
  Sandbox box;
  const FifoJobserver jobserver(box, "+");
  std::string jobs;
  for (const std::string name : {"a", "b", "c"}) {
    jobs += child_job(name, {"pidfile", name + ".pid", "sleep", "60000"});
  }
  box.write_jobs(jobs);
  auto fanout = box.start_after(jobserver.makeflags(2), {"-q", "-j8"});
  // Two run, on fanout's own token and the fifo's; "c" waits for one.
  ASSERT_TRUE(box.wait_for_file("a.pid"));
  ASSERT_TRUE(box.wait_for_file("b.pid"));

  fanout.send_signal(SIGINT);
  const auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_FALSE(box.exists("c.pid"));
  EXPECT_EQ(jobserver.tokens(), "+");
}

TEST(Jobserver, TokensAreBackAfterAFailureWithFailFast)
{
  Sandbox box;
  const FifoJobserver jobserver(box, "++");
  box.write_jobs(child_job("a", {"rendezvous", "met", "3", "sleep", "60000"}) +
                 child_job("b", {"rendezvous", "met", "3", "sleep", "60000"}) +
                 child_job("fails", {"rendezvous", "met", "3", "exit", "1"}) +
                 child_job("d", {"pidfile", "d.pid"}));

  const auto result = box.run_after(jobserver.makeflags(3), {"-q", "-j8", "--fail-fast"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(box.exists("d.pid"));
  EXPECT_EQ(jobserver.tokens(), "++");
}

TEST(Jobserver, ClosedDescriptorsGiveMakesWarningAndOneJobAtATime)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'env', 'FANOUT_SLOT', 'env', 'MAKEFLAGS']
[[job]]
name = "b"
argv = ['@CHILD@', 'env', 'FANOUT_SLOT']
[[job]]
name = "c"
argv = ['@CHILD@', 'env', 'FANOUT_SLOT']
)");

  const auto result =
    box.run_after("export MAKEFLAGS='k -j4 --jobserver-auth=97,98'", {"-q", "-j4"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "fanout: warning: jobserver unavailable: using -j1.  Add '+' to parent "
                        "make rule.\n");
  EXPECT_EQ(result.out, "a | FANOUT_SLOT=1\na | MAKEFLAGS=k\nb | FANOUT_SLOT=1\n"
                        "c | FANOUT_SLOT=1\n");
}

// A job that prints its MAKEFLAGS and its open descriptors.
constexpr std::string_view k_makeflags_and_fds = R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'env', 'MAKEFLAGS', 'fds']
)";

// What job "a" printed with `env MAKEFLAGS fds` when MAKEFLAGS, but for
// its jobserver's descriptors, is `flags`: the same descriptors in
// MAKEFLAGS and open in the job, and no other. Their numbers are the
// business of whoever made the pipe. A make adds " -- " after its flags
// when a make above it was given variables (`make test BUILD_DIR=...`).
void expect_jobserver_in_job(const std::string& out, const std::string& flags)
{
  static const std::regex form(
    "a \\| MAKEFLAGS=(.*) --jobserver-auth=([0-9]+),([0-9]+)(?: -- .*)?\n"
    "a \\| fds 0 1 2 ([0-9]+) ([0-9]+) stdin=/dev/null\n");
  std::smatch parts;
  ASSERT_TRUE(std::regex_match(out, parts, form)) << out;
  EXPECT_EQ(parts[1], flags);
  EXPECT_EQ(parts[2], parts[4]) << out;
  EXPECT_EQ(parts[3], parts[5]) << out;
}

TEST(Jobserver, JobsGetFanoutsOwnJobserverInMakeflagsAndItsDescriptorsOnly)
{
  Sandbox box;
  box.write_jobs(k_makeflags_and_fds);

  const auto result = box.run_after("export MAKEFLAGS=k", {"-j3"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  expect_jobserver_in_job(result.out, "k -j3");
}

TEST(Jobserver, JobsUnderMakeGetMakesJobserver)
{
  Sandbox box;
  box.write_jobs(k_makeflags_and_fds);
  box.write_file("Makefile",
                 "all:\n\t+@" + std::string(FANOUT_BIN) + pool_option() + " -q -j2 --tail 0\n");

  const auto result = box.run_program("/usr/bin/make", {"-j3"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  expect_jobserver_in_job(result.out, " -j3");
}

TEST(Jobserver, OneJobAtATimeNeedsNoJobserver)
{
  Sandbox box;
  box.write_jobs(k_makeflags_and_fds);

  const auto result = box.run({"-j1"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "a | MAKEFLAGS unset\na | fds 0 1 2 stdin=/dev/null\n");
}

TEST(Jobserver, ATokenAJobKeptIsBackOnceNoJobRuns)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "thief"
argv = ['@CHILD@', 'take-token']
[[job]]
name = "x"
needs = ["thief"]
argv = ['@CHILD@', 'rendezvous', 'met', '2']
[[job]]
name = "y"
needs = ["thief"]
argv = ['@CHILD@', 'rendezvous', 'met', '2']
)");

  // -j2: one token, which "thief" takes with it; "x" and "y" must then run
  // at once.
  const auto result = box.run({"-q", "-j2"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
}

} // namespace
