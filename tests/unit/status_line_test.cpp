// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"
#include "output/status_line.hpp"
#include "raw_terminal.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unistd.h>
#include <vector>

namespace fanout {
namespace {

using fanout_test::Terminal;

// Sets TERM for one test, and puts it back after.
class TermVariable {
public:
  TermVariable()
  {
    if (const char* term = std::getenv("TERM")) {
      m_saved = term;
    }
  }
  ~TermVariable() { set(m_saved); }
  TermVariable(const TermVariable&) = delete;
  TermVariable& operator=(const TermVariable&) = delete;

  void set(const std::optional<std::string>& value)
  {
    if (value) {
      ::setenv("TERM", value->c_str(), 1);
    } else {
      ::unsetenv("TERM");
    }
  }

private:
  std::optional<std::string> m_saved;
};

TEST(StatusLine, IsShownOnATerminalThatCanEraseALine)
{
  TermVariable term;
  Terminal terminal;
  const Console console(terminal.tty, terminal.tty);
  term.set("xterm");
  EXPECT_TRUE(shows_status(StatusMode::automatic, console));
  EXPECT_TRUE(shows_status(StatusMode::always, console));
  EXPECT_FALSE(shows_status(StatusMode::never, console));
  for (const std::optional<std::string>& dumb :
       {std::optional<std::string>("dumb"), std::optional<std::string>(""),
        std::optional<std::string>()}) {
    term.set(dumb);
    EXPECT_FALSE(shows_status(StatusMode::automatic, console)) << dumb.value_or("unset");
    EXPECT_TRUE(shows_status(StatusMode::always, console)) << dumb.value_or("unset");
  }
}

TEST(StatusLine, IsNeverShownOutsideATerminal)
{
  TermVariable term;
  term.set("xterm");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    Terminal terminal;
    const Console on_pipe(terminal.tty, fds[1]);
    EXPECT_FALSE(shows_status(StatusMode::automatic, on_pipe));
    EXPECT_FALSE(shows_status(StatusMode::always, on_pipe));
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(StatusLine, TheOptionSaysWhen)
{
  const auto status_of = [](std::vector<const char*> args) {
    args.insert(args.begin(), "fanout");
    const auto parsed = parse_command_line(static_cast<int>(args.size()), args.data());
    const Options* options = std::get_if<Options>(&parsed);
    return options != nullptr ? std::optional(options->status) : std::nullopt;
  };
  EXPECT_EQ(status_of({}), StatusMode::automatic);
  EXPECT_EQ(status_of({"--status", "auto"}), StatusMode::automatic);
  EXPECT_EQ(status_of({"--status", "always"}), StatusMode::always);
  EXPECT_EQ(status_of({"--status=never"}), StatusMode::never);
  EXPECT_EQ(status_of({"--status", "sometimes"}), std::nullopt);
}

JobSpec group(std::string name, std::vector<InputSourceSpec> sources)
{
  JobSpec job;
  job.name = std::move(name);
  auto spec = std::make_shared<GroupSpec>();
  spec->sources = std::move(sources);
  job.group = std::move(spec);
  return job;
}

InputSourceSpec values(std::vector<std::string> list)
{
  InputSourceSpec source;
  source.values = std::move(list);
  return source;
}

InputSourceSpec range(long long first, long long last)
{
  InputSourceSpec source;
  source.kind = InputSourceSpec::Kind::range;
  source.first = first;
  source.last = last;
  return source;
}

// What a terminal shows of the status lines drawn, clocks masked.
std::string masked(const std::string& drawn)
{
  return std::regex_replace(drawn, std::regex("[0-9]:[0-9][0-9]"), "T");
}

// A status line's terminal: TERM names one that can erase a line, a console
// on a pseudo-terminal, and the loop the line's timers wait on.
class StatusLineOnATerminal : public ::testing::Test {
protected:
  StatusLineOnATerminal() { m_term.set("xterm"); }

  // Lets the line draw what it was told so far.
  void draw()
  {
    io.run_one();
    console.flush();
  }

  // Ends `status`'s run; what the terminal showed, its first `size` bytes,
  // clocks masked.
  std::string shown(StatusLine& status, std::size_t size)
  {
    status.all_jobs_ended();
    console.flush();
    return masked(terminal.read(size));
  }

  TermVariable m_term;
  Terminal terminal;
  Console console{terminal.tty, terminal.tty};
  boost::asio::io_context io;
};

TEST_F(StatusLineOnATerminal, CountsTheJobsTheRunHasAndTheMembersOfGroupsKnownUpFront)
{
  JobSpec plain;
  plain.name = "a";
  InputSourceSpec lines;
  lines.kind = InputSourceSpec::Kind::lines;
  lines.path = "list.txt";
  // 1 job, a group of 2 x 3 members, and a group of lines, which counts
  // the members it started.
  const std::vector<JobSpec> jobs{plain, group("m", {values({"x", "y"}), range(3, 1)}),
                                  group("f", {lines}), JobSpec{}};
  const JobSpec member;
  auto status = std::make_unique<StatusLine>(io, console, jobs, std::vector<JobId>{0, 1, 2});
  status->job_started({0, plain, 1, 1, "a"});
  draw();
  status->attempt_ended({0, plain, 1, 1, "a"}, Outcome(Status::failed, 1), Seconds(1));
  status->job_finished({0, plain, 1, 1, "a"}, JobResult{"a", Outcome(Status::failed, 1)});
  for (JobId id = 4; id < 11; ++id) {
    status->job_started({id, member, 1, id - 3, "f " + std::to_string(id - 3)});
  }
  draw();
  const std::string expected = "[0/7+] T, 1 running: a\r\x1b[K"
                               "[1/8+] 1 failed, T, 7 running: f 1, f 2, f 3, f 4, f 5, f 6, f 7"
                               "\r\x1b[K";
  EXPECT_EQ(shown(*status, expected.size() + 6), expected);
}

TEST_F(StatusLineOnATerminal, JobsDoneInAnEarlierRunLeaveTheTotal)
{
  JobSpec a;
  a.name = "a";
  JobSpec b;
  b.name = "b";
  // 2 jobs and a group of 4 members: a and 3 members were done before.
  const std::vector<JobSpec> jobs{a, b, group("m", {values({"w", "x", "y", "z"})})};
  auto status = std::make_unique<StatusLine>(io, console, jobs, std::vector<JobId>{0, 1, 2});
  const JobResult earlier{"earlier", Outcome(Status::ok, 0), Seconds(0), 0};
  status->job_done_earlier("", earlier);
  for (int member = 0; member < 3; ++member) {
    status->job_done_earlier("m", earlier);
  }
  status->job_started({1, b, 1, 1, "b"});
  draw();
  const std::string expected = "[0/2] T, 1 running: b\r\x1b[K";
  EXPECT_EQ(shown(*status, expected.size() + 2), expected);
}

} // namespace
} // namespace fanout
