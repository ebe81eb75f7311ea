// SPDX-License-Identifier: MIT
// The runner under a jobserver: the first running job needs no token, each
// other one holds one, and every token is back at the end.
#include "fake_executor.hpp"
#include "run/jobserver.hpp"
#include "run/runner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unistd.h>

namespace fanout {
namespace {

FakeExecutor::Decide newest_first_ok()
{
  return [](const std::vector<FakeExecutor::Job>& running) {
    return std::optional{std::pair{running.size() - 1, Outcome(Status::ok, 0)}};
  };
}

RunConfig with_jobserver(Jobserver& jobserver)
{
  RunConfig config;
  config.max_parallel = 8;
  config.jobserver = &jobserver;
  return config;
}

// Every token `jobserver` holds now, taken out of it.
std::string take_all(Jobserver& jobserver)
{
  std::string tokens;
  while (const auto token = jobserver.try_take()) {
    tokens += *token;
  }
  return tokens;
}

// A pipe as make passes it on, holding `tokens`.
class MakePipe {
public:
  explicit MakePipe(const std::string& tokens)
  {
    EXPECT_EQ(::pipe(m_fds), 0);
    EXPECT_EQ(::write(m_fds[1], tokens.data(), tokens.size()), static_cast<ssize_t>(tokens.size()));
  }
  ~MakePipe()
  {
    ::close(m_fds[0]);
    ::close(m_fds[1]);
  }
  MakePipe(const MakePipe&) = delete;
  MakePipe& operator=(const MakePipe&) = delete;

  std::string makeflags() const
  {
    return " -j8 --jobserver-auth=" + std::to_string(m_fds[0]) + "," + std::to_string(m_fds[1]);
  }
  int write_fd() const { return m_fds[1]; }

private:
  int m_fds[2] = {-1, -1};
};

// Ten jobs under `jobserver`, ended newest first: the most that ran at
// once, and how many started.
std::pair<std::size_t, std::size_t> run_ten(Jobserver& jobserver)
{
  asio::io_context io;
  FakeExecutor executor(io, newest_first_ok());
  CountingSink sink;
  Runner(io, executor, {&sink})
    .run(make_file(10), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, with_jobserver(jobserver));
  return {executor.peak, executor.started.size()};
}

TEST(TokenGate, FanoutsOwnJobserverRunsAtMostItsTokensAndOneJobs)
{
  Jobserver jobserver(nullptr);
  jobserver.serve(3);

  EXPECT_EQ(run_ten(jobserver), (std::pair<std::size_t, std::size_t>{3, 10}));
  EXPECT_EQ(take_all(jobserver), "++");
}

TEST(TokenGate, TokensTakenAndNotGivenBackAreRecoveredWhileNoJobRuns)
{
  Jobserver jobserver(nullptr);
  jobserver.serve(3);
  EXPECT_EQ(take_all(jobserver), "++"); // as a make that was killed would

  EXPECT_EQ(run_ten(jobserver), (std::pair<std::size_t, std::size_t>{3, 10}));
  EXPECT_EQ(take_all(jobserver), "++");
}

TEST(TokenGate, AJobWaitsForMakesTokenAndStartsWhenItComes)
{
  MakePipe pipe("");
  Jobserver jobserver(pipe.makeflags().c_str());
  ASSERT_TRUE(jobserver.has_tokens());
  asio::io_context io;
  bool given = false;
  // The first time a job may end, the token comes instead: the second job,
  // which waited for it, starts.
  FakeExecutor executor(io, [&](const std::vector<FakeExecutor::Job>& running) {
    if (!std::exchange(given, true)) {
      EXPECT_EQ(::write(pipe.write_fd(), "x", 1), 1);
      return std::optional<std::pair<std::size_t, Outcome>>();
    }
    return std::optional{std::pair{running.size() - 1, Outcome(Status::ok, 0)}};
  });
  CountingSink sink;

  Runner(io, executor, {&sink}).run(make_file(4), {0, 1, 2, 3}, with_jobserver(jobserver));

  EXPECT_EQ(executor.peak, 2u);
  EXPECT_EQ(executor.started.size(), 4u);
  EXPECT_EQ(take_all(jobserver), "x");
}

TEST(TokenGate, ClosedDescriptorsMeanOneJobAtATime)
{
  Jobserver jobserver(" -j4 --jobserver-auth=97,98");

  EXPECT_FALSE(jobserver.has_tokens());
  EXPECT_EQ(jobserver.cap(8), 1u);
  EXPECT_EQ(jobserver.warning(), "fanout: warning: jobserver unavailable: using -j1.  Add '+' to "
                                 "parent make rule.\n");
  EXPECT_EQ(jobserver.share().makeflags, "");
}

} // namespace
} // namespace fanout
