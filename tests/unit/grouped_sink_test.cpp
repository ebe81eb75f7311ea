// SPDX-License-Identifier: MIT
#include "grouped_sink_support.hpp"
#include "output/grouped_sink.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace fanout {
namespace {

using test::MemoryFile;
using test::SinkDriver;

// Elapsed times ("0.00s") as "T", and fanout's pid in section names as "P".
std::string masked(const std::string& text)
{
  const std::string times = std::regex_replace(text, std::regex("[0-9]+\\.[0-9]{2}s"), "T");
  return std::regex_replace(times, std::regex("fanout_[0-9]+_"), "fanout_P_");
}

class GroupedSinkTest : public ::testing::Test {
protected:
  // What reached `file` once the console wrote everything.
  std::string written(const MemoryFile& file)
  {
    console.flush();
    return file.contents();
  }
  MemoryFile out;
  MemoryFile err;
  Console console{out.fd(), err.fd()};
};

TEST_F(GroupedSinkTest, GroupPrintsEachJobWhenItEndsInTheOrderTheyEnd)
{
  SinkDriver jobs(console, OutputMode::group);
  jobs.start(0);
  jobs.start(1);
  jobs.write(0, Stream::out, "a1\n");
  jobs.write(1, Stream::out, "b1\n");
  jobs.write(0, Stream::out, "a2\n");
  jobs.write(1, Stream::out, "b2\n");
  EXPECT_EQ(written(out), "");

  jobs.end(1);
  EXPECT_EQ(written(out), "lint  | b1\nlint  | b2\n");
  jobs.end(0);
  EXPECT_EQ(written(out), "lint  | b1\nlint  | b2\nbuild | a1\nbuild | a2\n");
}

TEST_F(GroupedSinkTest, ABlockKeepsTheOrderOfItsLinesAcrossBothStreams)
{
  MemoryFile log;
  Console one_log(log.fd(), log.fd());
  SinkDriver jobs(one_log, OutputMode::group);
  jobs.start(0);
  jobs.write(0, Stream::out, "compiling\n");
  jobs.write(0, Stream::err, "warning\n");
  jobs.write(0, Stream::out, "done\n");
  jobs.end(0);
  one_log.flush();
  EXPECT_EQ(log.contents(), "build | compiling\nbuild | warning\nbuild | done\n");

  SinkDriver apart(console, OutputMode::group);
  apart.start(0);
  apart.write(0, Stream::out, "compiling\n");
  apart.write(0, Stream::err, "warning\n");
  apart.end(0);
  EXPECT_EQ(written(out), "build | compiling\n");
  EXPECT_EQ(written(err), "build | warning\n");
}

TEST_F(GroupedSinkTest, APartialLastLineGetsItsNewline)
{
  SinkDriver jobs(console, OutputMode::group);
  jobs.start(0);
  jobs.write(0, Stream::out, "whole\nno newline");
  jobs.write(0, Stream::err, "err partial");
  jobs.end(0);
  EXPECT_EQ(written(out), "build | whole\nbuild | no newline\n");
  EXPECT_EQ(written(err), "build | err partial\n");
}

TEST_F(GroupedSinkTest, KeepOrderStreamsTheFirstJobAndHoldsTheOthers)
{
  SinkDriver jobs(console, OutputMode::keep_order);
  jobs.start(0);
  jobs.start(1);
  jobs.start(2);
  jobs.write(2, Stream::out, "c\n");
  jobs.write(1, Stream::out, "b\n");
  jobs.write(0, Stream::out, "a\n");
  EXPECT_EQ(written(out), "build | a\n");

  jobs.end(2);
  jobs.end(1);
  EXPECT_EQ(written(out), "build | a\n");
  jobs.write(0, Stream::out, "a again\n");
  EXPECT_EQ(written(out), "build | a\nbuild | a again\n");
  jobs.end(0);
  EXPECT_EQ(written(out), "build | a\nbuild | a again\nlint  | b\ntest  | c\n");
}

TEST_F(GroupedSinkTest, KeepOrderLetsTheNextRunningJobStreamOnceItsTurnComes)
{
  SinkDriver jobs(console, OutputMode::keep_order);
  jobs.start(0);
  jobs.start(1);
  jobs.write(1, Stream::out, "b1\n");
  jobs.end(0);
  EXPECT_EQ(written(out), "lint  | b1\n");
  jobs.write(1, Stream::out, "b2\n");
  EXPECT_EQ(written(out), "lint  | b1\nlint  | b2\n");
}

TEST_F(GroupedSinkTest, KeepOrderPrintsAJobsRetriesBeforeTheNextJob)
{
  SinkDriver jobs(console, OutputMode::keep_order);
  jobs.start(0);
  jobs.start(1);
  jobs.write(0, Stream::out, "first try\n");
  jobs.retry(0, Outcome(Status::failed, 1));
  jobs.write(1, Stream::out, "b\n");
  jobs.end(1);
  EXPECT_EQ(written(out), "build | first try\n");

  jobs.start(0, 2);
  jobs.write(0, Stream::out, "second try\n");
  jobs.end(0);
  EXPECT_EQ(written(out), "build | first try\nbuild#2 | second try\nlint  | b\n");
}

TEST_F(GroupedSinkTest, KeepOrderPrintsADaemonWhenItEnds)
{
  SinkDriver jobs(console, OutputMode::keep_order);
  jobs.start_daemon(0);
  jobs.start(1);
  jobs.write(0, Stream::out, "listening\n");
  jobs.write(1, Stream::out, "b\n");
  EXPECT_EQ(written(out), "lint  | b\n");
  jobs.end(1);
  jobs.end(0);
  EXPECT_EQ(written(out), "lint  | b\nbuild | listening\n");
}

TEST_F(GroupedSinkTest, GithubFoldsEachBlockAndMarksAFailure)
{
  SinkDriver jobs(console, OutputMode::group, CiPlatform::github);
  jobs.start(0);
  jobs.start(1);
  jobs.write(0, Stream::out, "a\n");
  jobs.write(1, Stream::err, "b\n");
  jobs.end(1, Outcome(Status::failed, 2));
  jobs.end(0);
  EXPECT_EQ(masked(written(out)), "::group::lint failed 2 in T\n"
                                  "::endgroup::\n"
                                  "::error title=fanout%3A lint::lint failed 2 in T\n"
                                  "::group::build ok in T\n"
                                  "build | a\n"
                                  "::endgroup::\n");
  EXPECT_EQ(written(err), "lint  | b\n");
}

TEST_F(GroupedSinkTest, GitlabSectionsAreNamedOncePerBlock)
{
  SinkDriver jobs(console, OutputMode::group, CiPlatform::gitlab);
  jobs.start(0);
  jobs.write(0, Stream::out, "first try\n");
  jobs.retry(0, Outcome(Status::failed, 1));
  jobs.start(0, 2);
  jobs.end(0, Outcome(Status::timeout, -15));
  const std::regex expected("section_start:[0-9]+:fanout_[0-9]+_1_build\\[collapsed=true\\]\r"
                            "\x1b\\[0Kbuild failed 1 in [0-9.]+s\n"
                            "build \\| first try\n"
                            "section_end:[0-9]+:fanout_[0-9]+_1_build\r\x1b\\[0K\n"
                            "section_start:[0-9]+:fanout_[0-9]+_2_build_2\\[collapsed=true\\]\r"
                            "\x1b\\[0Kbuild#2 timeout -15 in [0-9.]+s\n"
                            "section_end:[0-9]+:fanout_[0-9]+_2_build_2\r\x1b\\[0K\n"
                            "\x1b\\[31;1mfanout: build timeout -15 in [0-9.]+s\x1b\\[0m\n");
  const std::string text = written(out);
  EXPECT_TRUE(std::regex_match(text, expected)) << text;
}

TEST_F(GroupedSinkTest, KeepOrderTitlesALiveBlockWithItsTagAlone)
{
  SinkDriver jobs(console, OutputMode::keep_order, CiPlatform::github);
  jobs.start(0);
  jobs.write(0, Stream::out, "a\n");
  jobs.end(0);
  EXPECT_EQ(written(out), "::group::build\nbuild | a\n::endgroup::\n");
}

TEST_F(GroupedSinkTest, WithoutCiAnEmptyBlockPrintsNothing)
{
  SinkDriver jobs(console, OutputMode::group);
  jobs.start(0);
  jobs.end(0, Outcome(Status::failed, 1));
  EXPECT_EQ(written(out), "");
  EXPECT_EQ(written(err), "");
}

TEST_F(GroupedSinkTest, AFailureAfterACancelledRetryIsMarkedAlone)
{
  SinkDriver jobs(console, OutputMode::group, CiPlatform::github);
  jobs.start(0);
  jobs.retry(0, Outcome(Status::failed, 1));
  jobs.finish(0, Outcome(Status::cancelled, 1));
  EXPECT_EQ(masked(written(out)), "::group::build failed 1 in T\n"
                                  "::endgroup::\n"
                                  "::error title=fanout%3A build::build cancelled 1 in T\n");
}

TEST_F(GroupedSinkTest, ALongBlockGoesOnFromTheEventLoop)
{
  SinkDriver jobs(console, OutputMode::group);
  jobs.start(0);
  const std::string lines = test::numbered_lines(200000); // about 4 MB tagged
  std::string expected;
  for (int round = 0; round < 3; ++round) {
    jobs.write(0, Stream::out, lines);
    expected += test::tagged("build | ", lines);
  }
  jobs.end(0);
  const std::string first = written(out);
  EXPECT_LT(first.size(), expected.size());
  EXPECT_EQ(first, expected.substr(0, first.size()));
  EXPECT_GE(jobs.run_deferred(), 2U);
  EXPECT_TRUE(written(out) == expected);
}

} // namespace
} // namespace fanout
