// SPDX-License-Identifier: MIT
#include "run/jobserver_auth.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

using Form = JobserverAuth::Form;

TEST(JobserverAuth, PipeFormOfMake43)
{
  const JobserverAuth auth = parse_jobserver_auth(" -j4 --jobserver-auth=3,4");
  EXPECT_EQ(auth.form, Form::pipe);
  EXPECT_EQ(auth.read_fd, 3);
  EXPECT_EQ(auth.write_fd, 4);
  EXPECT_EQ(auth.text, "--jobserver-auth=3,4");
}

TEST(JobserverAuth, PipeFormAfterSingleLetterFlags)
{
  const JobserverAuth auth = parse_jobserver_auth("ks -j3 --jobserver-auth=5,6 -- CC=gcc");
  EXPECT_EQ(auth.form, Form::pipe);
  EXPECT_EQ(auth.read_fd, 5);
  EXPECT_EQ(auth.write_fd, 6);
}

TEST(JobserverAuth, FifoFormOfMake44)
{
  const JobserverAuth auth = parse_jobserver_auth("-j8 --jobserver-auth=fifo:/tmp/GMfifo123");
  EXPECT_EQ(auth.form, Form::fifo);
  EXPECT_EQ(auth.fifo, "/tmp/GMfifo123");
}

TEST(JobserverAuth, OldFdsFormOfMake42)
{
  const JobserverAuth auth = parse_jobserver_auth(" -j2 --jobserver-fds=7,8 -j");
  EXPECT_EQ(auth.form, Form::pipe);
  EXPECT_EQ(auth.read_fd, 7);
  EXPECT_EQ(auth.write_fd, 8);
}

TEST(JobserverAuth, TheLastOneCounts)
{
  const JobserverAuth auth = parse_jobserver_auth("--jobserver-auth=3,4 --jobserver-auth=9,10");
  EXPECT_EQ(auth.read_fd, 9);
  EXPECT_EQ(auth.write_fd, 10);
}

TEST(JobserverAuth, JobsAloneOrNothingNamesNone)
{
  EXPECT_EQ(parse_jobserver_auth(" -j").form, Form::none);
  EXPECT_EQ(parse_jobserver_auth(" -j4").form, Form::none);
  EXPECT_EQ(parse_jobserver_auth("").form, Form::none);
  EXPECT_EQ(parse_jobserver_auth("k").form, Form::none);
}

TEST(JobserverAuth, VariableDefinitionsAreNotOptions)
{
  EXPECT_EQ(parse_jobserver_auth("-- X=--jobserver-auth=3,4").form, Form::none);
}

TEST(JobserverAuth, GarbageIsInvalid)
{
  for (const char* flags :
       {"--jobserver-auth=", "--jobserver-auth=3", "--jobserver-auth=3,", "--jobserver-auth=a,b",
        "--jobserver-auth=-1,4", "--jobserver-auth=3,4x",
        "--jobserver-auth=fifo:", "--jobserver-auth=99999999999,4"}) {
    const JobserverAuth auth = parse_jobserver_auth(flags);
    EXPECT_EQ(auth.form, Form::invalid) << flags;
    EXPECT_EQ(auth.text, flags);
    EXPECT_EQ(auth.read_fd, -1) << flags;
  }
}

TEST(JobserverAuth, WithoutJobserverKeepsTheRest)
{
  EXPECT_EQ(without_jobserver(" -j4 --jobserver-auth=3,4"), "");
  EXPECT_EQ(without_jobserver("ks -j3 --jobserver-fds=3,4 -- CC=gcc\\ -O2"), "ks -- CC=gcc\\ -O2");
  EXPECT_EQ(without_jobserver("k -j"), "k");
}

TEST(JobserverAuth, WithJobserverReplacesAnyOther)
{
  EXPECT_EQ(with_jobserver("", 4, 5, 6), " -j4 --jobserver-auth=5,6");
  EXPECT_EQ(with_jobserver("k -j2 --jobserver-auth=fifo:/x -- V=1", 8, 3, 4),
            "k -j8 --jobserver-auth=3,4 -- V=1");
}

} // namespace
} // namespace fanout
