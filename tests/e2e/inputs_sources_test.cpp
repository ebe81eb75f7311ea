// SPDX-License-Identifier: MIT
// End-to-end tests of where a command's inputs come from (fanout(1),
// INPUTS): ::: values, :::: files and '-', plain stdin, -0, the product of
// several sources, and the names, tags and listings of the jobs they make;
// and the usage errors of a command line with inputs.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>

using e2e::mask_times;
using e2e::Sandbox;

TEST(InputsSources, ValuesMakeOneJobEachNamedAndTaggedByTheValue)
{
  Sandbox box;

  auto result = box.run({"-j", "1", "--", "echo", "got", ":::", "alpha", "b"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "alpha | got alpha\n"
                        "b | got b\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  echo:1:alpha  ok          0   T\n"
                                    "  echo:2:b      ok          0   T\n");
}

TEST(InputsSources, SeveralSourcesRunTheirProductLastVaryingFastest)
{
  Sandbox box;

  auto result = box.run({"-j", "1", "--", "echo", "{1}-{2}", ":::", "a", "b", ":::", "x", "y"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "a x | a-x\n"
                        "a y | a-y\n"
                        "b x | b-x\n"
                        "b y | b-y\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok\n"
                                    "  echo:1:a:x  ok          0   T\n"
                                    "  echo:2:a:y  ok          0   T\n"
                                    "  echo:3:b:x  ok          0   T\n"
                                    "  echo:4:b:y  ok          0   T\n");
}

TEST(InputsSources, ListNamesTheProductOfValuesAndFileLines)
{
  Sandbox box;
  box.write_file("in.txt", "a\n\nb");

  auto result = box.run({"--list", "--", "echo", ":::", "1", "2", "::::", "in.txt"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "echo:1:1:a\n"
                        "echo:2:1:\n"
                        "echo:3:1:b\n"
                        "echo:4:2:a\n"
                        "echo:5:2:\n"
                        "echo:6:2:b\n");
  EXPECT_EQ(result.err, "");
}

TEST(InputsSources, FileLinesAreValuesAnEmptyLineToo)
{
  Sandbox box;
  box.write_file("in.txt", "one\n\nthree\n");

  auto result = box.run({"-j", "1", "--", "echo", "[{}]", "::::", "in.txt"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "one | [one]\n"
                        " | []\n"
                        "three | [three]\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  echo:1:one    ok          0   T\n"
                                    "  echo:2:       ok          0   T\n"
                                    "  echo:3:three  ok          0   T\n");
}

TEST(InputsSources, DashAsAFileIsStdin)
{
  Sandbox box;
  box.write_file("in.txt", "x\ny\n");

  auto result = box.run_with_stdin("in.txt", {"-j", "1", "--", "echo", "{}", "::::", "-"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "x | x\n"
                        "y | y\n");
}

TEST(InputsSources, WithoutASourceTheLinesOfStdinAreTheInputs)
{
  Sandbox box;
  box.write_file("in.txt", "x\n\ny z\n");

  auto result = box.run_with_stdin("in.txt", {"-j", "1", "--", "echo", "<{}>"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "x | <x>\n"
                        " | <>\n"
                        "y z | <y z>\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  echo:1:x    ok          0   T\n"
                                    "  echo:2:     ok          0   T\n"
                                    "  echo:3:y_z  ok          0   T\n");
}

TEST(InputsSources, EmptyStdinRunsNoJob)
{
  Sandbox box;
  box.write_file("in.txt", "");

  auto result = box.run_with_stdin("in.txt", {"--", "echo"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err), "fanout: 0 jobs in T\n");
}

TEST(InputsSources, NulSeparatedValuesKeepTheirNewlines)
{
  Sandbox box;
  box.write_file("in.bin", std::string("a\nb\0c d\0\0last", 14));

  auto result =
    box.run_with_stdin("in.bin", {"-0", "-j", "1", "--", TEST_CHILD_BIN, "args", "out-{#}"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), std::string("a\nb\0", 4));
  EXPECT_EQ(box.read_file("out-2"), std::string("c d\0", 4));
  EXPECT_EQ(box.read_file("out-3"), std::string("\0", 1));
  EXPECT_EQ(box.read_file("out-4"), std::string("last\0", 5));
  EXPECT_FALSE(box.exists("out-5"));
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 4 ok\n"
                                    "  test_child:1:a_b   ok          0   T\n"
                                    "  test_child:2:c_d   ok          0   T\n"
                                    "  test_child:3:      ok          0   T\n"
                                    "  test_child:4:last  ok          0   T\n");
}

TEST(InputsSources, NulSeparatedFileAndTagOfANewline)
{
  Sandbox box;
  box.write_file("in.bin", std::string("a\nb\0", 4));

  auto result = box.run({"-0", "--", "sh", "-c", "echo hi", "::::", "in.bin"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "a\\nb | hi\n");
}

TEST(InputsSources, DryRunPrintsEachCommandWithItsValuesQuoted)
{
  Sandbox box;

  auto result = box.run({"--dry-run", "--", "gzip", "-k", ":::", "a", "b c", "it's"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "gzip:1:a: gzip -k a\n"
                        "gzip:2:b_c: gzip -k 'b c'\n"
                        "gzip:3:it_s: gzip -k 'it'\\''s'\n");
  EXPECT_EQ(result.err, "");
  EXPECT_FALSE(box.exists("a.gz"));
}

TEST(InputsSources, DryRunOfAShellCommand)
{
  Sandbox box;

  auto result = box.run({"--dry-run", "--", "gzip < {} > {}.gz", ":::", "a", "b c"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "gzip:1:a: gzip < a > a.gz\n"
                        "gzip:2:b_c: gzip < 'b c' > 'b c'.gz\n");
  EXPECT_EQ(result.err, "");
}

TEST(InputsErrors, AnUnknownSourceNumberIsAUsageError)
{
  Sandbox box;

  auto result = box.run({"--", TEST_CHILD_BIN, "args", "out", "{3}", ":::", "a"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout: error: {3}: there is only 1 input source, in \"{3}\"\n");
  EXPECT_FALSE(box.exists("out"));
}

TEST(InputsErrors, ValuesMarkWithNoValuesIsAUsageError)
{
  Sandbox box;

  auto result = box.run({"--", TEST_CHILD_BIN, "args", "out", ":::"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout: error: ::: has no values, so no job would run\n"
                        "Run 'fanout --help' for more information.\n");
  EXPECT_FALSE(box.exists("out"));
}

TEST(InputsErrors, AMissingInputFileIsAUsageErrorNamingIt)
{
  Sandbox box;

  auto result = box.run({"--", TEST_CHILD_BIN, "args", "out", "::::", "missing.txt"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "fanout: error: cannot read inputs from \"missing.txt\": No such file or directory\n");
  EXPECT_FALSE(box.exists("out"));
}

// A name keeps at most 128 characters, a '/' made '_'; a tag keeps the
// last 39 columns of the input after "…" (a path's end tells most).
TEST(InputsSources, LongInputsAreCutInNamesAndTags)
{
  Sandbox box;
  std::string long_value;
  for (int i = 0; i < 20; ++i) {
    long_value += "abcdefghij";
  }
  std::string wide_value;
  for (int i = 0; i < 45; ++i) {
    wide_value += "\u00e9";
  }

  auto listed = box.run({"--list", "--", "true", ":::", "dir/" + long_value});
  auto result =
    box.run({"-q", "-j", "1", "--", "sh", "-c", "echo hi", "sh", ":::", long_value, wide_value});

  EXPECT_EQ(listed.out, "true:1:dir_" + long_value.substr(0, 117) + "\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "\u2026" + long_value.substr(200 - 39) + " | hi\n" + "\u2026" +
                          wide_value.substr(0, 39 * 2) + " | hi\n");
}
