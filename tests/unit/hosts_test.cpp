// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "exec/ssh_remote.hpp"
#include "jobfile/hosts.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

std::string list_error(std::string_view list)
{
  try {
    parse_host_list(list);
  } catch (const Error& error) {
    return error.what();
  }
  return "(parsed)";
}

TEST(Hosts, ListTakesSlotsAsGnuParallelDoes)
{
  EXPECT_EQ(parse_host_list("a,3/me@b,8/c:2222"),
            (std::vector<HostSpec>{{"a", k_default_host_slots}, {"me@b", 3}, {"c:2222", 8}}));
}

TEST(Hosts, ListRefusesWhatSshCannotTake)
{
  EXPECT_EQ(list_error("a,,b"), "a host name is empty");
  EXPECT_EQ(list_error("9/a"), "\"9/a\": 9 jobs at once on a host is out of range: use 1 to 8 "
                               "(sshd's MaxSessions is 10 by default)");
  EXPECT_EQ(list_error("x/a"), "\"x/a\": write N/host, N the jobs at once on host");
  EXPECT_EQ(list_error("-oProxyCommand=x"), "host \"-oProxyCommand=x\" starts with '-'");
  EXPECT_EQ(list_error("a b"), "host \"a b\" holds a space or a control character");
  EXPECT_EQ(list_error("a,2/a"), "host \"a\" is listed twice");
}

TEST(Hosts, PortsBecomeSshUris)
{
  EXPECT_EQ(ssh_destination("build1"), "build1");
  EXPECT_EQ(ssh_destination("me@build1:2222"), "ssh://me@build1:2222");
  EXPECT_EQ(ssh_destination("[::1]:2222"), "ssh://[::1]:2222");
  EXPECT_EQ(ssh_destination("::1"), "::1");
}

TEST(Hosts, JobFileTableKeepsItsOrder)
{
  const JobFile file =
    parse_jobfile("[hosts]\n\"me@b\" = 2\na = 1\n[[job]]\ncmd = \"true\"\n", "x");
  EXPECT_EQ(file.hosts, (std::vector<HostSpec>{{"me@b", 2}, {"a", 1}}));
}

TEST(Hosts, JobFileErrorsAreLocated)
{
  EXPECT_EQ(error_for("[hosts]\na = 0\n[[job]]\ncmd = \"true\"\n"),
            "ci.toml:2:5: error: 0 jobs at once on a host is out of range: use 1 to 8 (sshd's "
            "MaxSessions is 10 by default)\n"
            "    2 | a = 0\n"
            "      |     ^");
  EXPECT_EQ(error_for("[hosts]\na = \"4\"\n[[job]]\ncmd = \"true\"\n"),
            "ci.toml:2:5: error: host \"a\" must be given a whole number of jobs at once, not a "
            "string\n"
            "    2 | a = \"4\"\n"
            "      |     ^");
  EXPECT_EQ(error_for("hosts = 3\n[[job]]\ncmd = \"true\"\n"),
            "ci.toml:1:9: error: hosts must be a table of host = jobs at once, not an integer\n"
            "    1 | hosts = 3\n"
            "      |         ^");
}

// The watchdog's last word, split over reads as a pipe may split it.
TEST(LastWordFilter, TakesTheWordOutWhereverReadsSplitIt)
{
  const std::string stream = "out\n\x1fm1 signal 9\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    LastWordFilter filter("m1");
    std::string passed(filter.pass(stream.substr(0, cut)));
    passed += filter.pass(stream.substr(cut));
    passed += filter.finish();
    EXPECT_EQ(passed, "out\n") << cut;
    ASSERT_TRUE(filter.end().has_value()) << cut;
    EXPECT_EQ(filter.end()->kind, RemoteEnd::Kind::signaled);
    EXPECT_EQ(filter.end()->number, 9);
  }
}

TEST(LastWordFilter, WhatIsNotTheLastWordIsTheJobs)
{
  LastWordFilter filter("m1");
  std::string passed(filter.pass("\x1fm1 exit 3\nmore\x1f"));
  passed += filter.finish();
  EXPECT_EQ(passed, "\x1fm1 exit 3\nmore\x1f");
  EXPECT_FALSE(filter.end().has_value());
  EXPECT_EQ(filter.last_line(), "more\x1f");
}

TEST(LastWordFilter, ReadsWhyAJobDidNotStart)
{
  LastWordFilter filter("m1");
  EXPECT_EQ(filter.pass("ssh: a\r\n\x1fm1 error 127 program not found: x y\n"), "ssh: a\r\n");
  EXPECT_EQ(filter.finish(), "");
  ASSERT_TRUE(filter.end().has_value());
  EXPECT_EQ(filter.end()->kind, RemoteEnd::Kind::not_started);
  EXPECT_EQ(filter.end()->number, 127);
  EXPECT_EQ(filter.end()->reason, "program not found: x y");
  EXPECT_EQ(filter.last_line(), "ssh: a");
}

TEST(RemoteCommand, QuotesEveryWordOnceForTheLoginShell)
{
  RemoteJob job{"m1", 0.5, "/w d", {"A=it's $x"}, "echo \"$A\"", {}};
  const std::string line = remote_command(job);
  EXPECT_TRUE(line.starts_with("exec perl -e 'my ($grace")) << line;
  EXPECT_TRUE(line.ends_with(" 0.500000 m1 '/w d' 1 'A=it'\\''s $x' sh 'echo \"$A\"'")) << line;
}

} // namespace
} // namespace fanout
