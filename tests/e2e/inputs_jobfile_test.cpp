// SPDX-License-Identifier: MIT
// End-to-end tests of groups in a job file (fanout(1), INPUTS): a [[job]]
// with for_each (glob, lines, values, range) or matrix runs one job per
// input; groups need jobs and jobs need groups; --list and selections name
// the jobs of a group; a glob that matches nothing is that group's error;
// a placeholder that names nothing is a located job-file error.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

// data/a.csv, data/sub/b.csv, data/sub/<0xff>.csv (not UTF-8), data/c.txt.
void write_data(const Sandbox& box)
{
  box.write_file("data/a.csv", "");
  box.write_file("data/sub/b.csv", "");
  box.write_file("data/sub/\xff.csv", "");
  box.write_file("data/c.txt", "");
}

} // namespace

TEST(InputsJobFile, AGroupNeedsAJobAndAJobNeedsTheWholeGroup)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "after"
needs = ["each"]
argv = ['@CHILD@', 'mark', 'log', 'after']

[[job]]
name = "each"
needs = ["prep"]
for_each = { values = ["a", "b c", 3] }
argv = ['@CHILD@', 'mark', 'log', '{}']

[[job]]
name = "prep"
argv = ['@CHILD@', 'mark', 'log', 'prep']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("log"), "prep\na\nb c\n3\nafter\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 5 jobs in T: 5 ok\n"
                                    "  after       ok          0   T\n"
                                    "  each:1:a    ok          0   T\n"
                                    "  each:2:b_c  ok          0   T\n"
                                    "  each:3:3    ok          0   T\n"
                                    "  prep        ok          0   T\n");
}

TEST(InputsJobFile, AFailedMemberSkipsWhatNeedsItsGroup)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { values = ["ok", "bad"] }
cmd = "test {} != bad"

[[job]]
name = "after"
needs = ["gz"]
argv = ['@CHILD@', 'mark', 'log', 'after']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(box.exists("log"));
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 1 ok, 1 failed, 1 skipped\n"
                                    "  gz:1:ok   ok          0   T\n"
                                    "  gz:2:bad  failed      1   T\n"
                                    "  after     skipped     -       -  because gz failed\n");
}

TEST(InputsJobFile, ListExpandsGlobsLinesRangesAndMatrices)
{
  Sandbox box;
  write_data(box);
  box.write_file("list.txt", "l1\n\nl 3\n");
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { glob = "data/**/*.csv" }
argv = ["gzip", "{}"]

[[job]]
name = "ln"
for_each = { lines = "list.txt" }
argv = ["echo", "{}"]

[[job]]
name = "r"
for_each = { range = [9, 11] }
argv = ["echo", "{}"]

[[job]]
name = "m"
matrix = { py = ["3.11", "3.12"], os = ["debian", "alpine"] }
cmd = "echo {py} {os}"
)");

  auto result = box.run({"--list"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "gz:1:data_a.csv\n"
                        "gz:2:data_sub_b.csv\n"
                        "gz:3:data_sub__.csv\n"
                        "ln:1:l1\n"
                        "ln:2:\n"
                        "ln:3:l_3\n"
                        "r:1:9\n"
                        "r:2:10\n"
                        "r:3:11\n"
                        "m:3.11:debian\n"
                        "m:3.11:alpine\n"
                        "m:3.12:debian\n"
                        "m:3.12:alpine\n");
  EXPECT_EQ(result.err, "");
}

// The third file's name is not UTF-8: its job gets the name's bytes, its
// tag shows them escaped, and its job name makes them '_'.
TEST(InputsJobFile, AGlobWithDoubleStarReachesEveryDepthByteForByte)
{
  Sandbox box;
  write_data(box);
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { glob = "data/**/*.csv" }
argv = ['@CHILD@', 'args', 'out-{#}', '{}', '{/}']
)");
  box.write_file("tags.toml", R"(
[[job]]
name = "gz"
for_each = { glob = "data/**/*.csv" }
argv = ["sh", "-c", "echo hi"]
)");

  auto result = box.run({"-j", "1"});
  auto tags = box.run({"-q", "-j", "1", "-f", "tags.toml"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), std::string("data/a.csv\0a.csv\0", 17));
  EXPECT_EQ(box.read_file("out-2"), std::string("data/sub/b.csv\0b.csv\0", 21));
  EXPECT_EQ(box.read_file("out-3"), std::string("data/sub/\xff.csv\0\xff.csv\0", 21));
  EXPECT_FALSE(box.exists("out-4"));
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  gz:1:data_a.csv      ok          0   T\n"
                                    "  gz:2:data_sub_b.csv  ok          0   T\n"
                                    "  gz:3:data_sub__.csv  ok          0   T\n");
  EXPECT_EQ(tags.out, "gz data/a.csv | hi\n"
                      "gz data/sub/b.csv | hi\n"
                      "gz data/sub/\\xff.csv | hi\n");
}

TEST(InputsJobFile, SelectingSomeJobsOfAGroupRunsThemAndWhatTheGroupNeeds)
{
  Sandbox box;
  write_data(box);
  box.write_jobs(R"(
[[job]]
name = "prep"
argv = ['@CHILD@', 'mark', 'log', 'prep']

[[job]]
name = "gz"
needs = ["prep"]
for_each = { glob = "data/**/*.csv" }
argv = ['@CHILD@', 'mark', 'log', '{}']

[[job]]
name = "other"
argv = ['@CHILD@', 'mark', 'log', 'other']
)");

  auto listed = box.run({"--list", "gz:*sub*"});
  auto result = box.run({"-j", "1", "gz:*sub*"});

  EXPECT_EQ(listed.out, "prep\n"
                        "gz:2:data_sub_b.csv\n"
                        "gz:3:data_sub__.csv\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("log"), "prep\ndata/sub/b.csv\ndata/sub/\xff.csv\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  prep                 ok          0   T\n"
                                    "  gz:2:data_sub_b.csv  ok          0   T\n"
                                    "  gz:3:data_sub__.csv  ok          0   T\n");
}

// Like a job name that matches no job, a pattern that matches no job of
// the group must be said, not pass as a run of nothing.
TEST(InputsJobFile, SelectingNoJobOfAGroupIsReported)
{
  Sandbox box;
  write_data(box);
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { glob = "data/**/*.csv" }
argv = ['@CHILD@', 'mark', 'log', '{}']
)");

  auto result = box.run({"gz:*nomatch*"});

  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("\"gz:*nomatch*\""), std::string::npos) << result.err;
  EXPECT_FALSE(box.exists("log"));
}

TEST(InputsJobFile, AGlobThatMatchesNothingIsItsGroupsError)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { glob = "nothing/*.csv" }
argv = ['@CHILD@', 'mark', 'log', '{}']

[[job]]
name = "other"
argv = ['@CHILD@', 'mark', 'log', 'other']

[[job]]
name = "after"
needs = ["gz"]
argv = ['@CHILD@', 'mark', 'log', 'after']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(box.read_file("log"), "other\n");
  EXPECT_EQ(mask_times(result.err),
            "fanout: 3 jobs in T: 1 ok, 1 could not start, 1 skipped\n"
            "  gz     error       2   T  glob \"nothing/*.csv\" matched nothing\n"
            "  other  ok          0   T\n"
            "  after  skipped     -       -  because gz could not start\n");
}

TEST(InputsJobFile, AnUnknownPlaceholderIsALocatedError)
{
  Sandbox box;
  box.write_jobs(R"([[job]]
name = "x"
for_each = { values = ["a"] }
cmd = "echo {nope}"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout.toml:4:13: error: job \"x\": cmd: unknown placeholder {nope}\n"
                        "    4 | cmd = \"echo {nope}\"\n"
                        "      |             ^\n");
}

TEST(InputsJobFile, ASourceNumberPastTheSourcesIsALocatedError)
{
  Sandbox box;
  box.write_jobs(R"([[job]]
name = "gz"
for_each = { values = ["a", "b"] }
argv = ["echo", "{}", "{3}"]
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "fanout.toml:4:24: error: job \"gz\": argv[2]: {3}: there is only 1 input source\n"
            "    4 | argv = [\"echo\", \"{}\", \"{3}\"]\n"
            "      |                        ^\n");
}

TEST(InputsJobFile, MatrixJobsAreNamedAndTaggedByTheirValues)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "m"
matrix = { py = ["3.11", "3.12"], os = ["debian", "it's"] }
cmd = "echo {py} {os}"
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "m 3.11 debian | 3.11 debian\n"
                        "m 3.11 it's | 3.11 it's\n"
                        "m 3.12 debian | 3.12 debian\n"
                        "m 3.12 it's | 3.12 it's\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok\n"
                                    "  m:3.11:debian  ok          0   T\n"
                                    "  m:3.11:it_s    ok          0   T\n"
                                    "  m:3.12:debian  ok          0   T\n"
                                    "  m:3.12:it_s    ok          0   T\n");
}
