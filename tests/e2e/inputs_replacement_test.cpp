// SPDX-License-Identifier: MIT
// End-to-end tests of the replacement strings (fanout(1), INPUTS): {} {.}
// {/} {//} {/.} and their numbered forms, on inputs whose parts are easy to
// get wrong, the same in a command's argv and in a /bin/sh command. Each job
// writes the arguments it got to a file (test_child args), so what is
// compared is the exact bytes the job received.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::Sandbox;

namespace {

// An input and the parts {} {.} {/} {//} {/.} make of it, as GNU parallel does.
struct Parts {
  const char* input;
  std::vector<std::string> parts;
};

const std::vector<Parts> k_parts = {
  {"noext", {"noext", "noext", "noext", ".", "noext"}},
  {"a.b.c.tar.gz", {"a.b.c.tar.gz", "a.b.c.tar", "a.b.c.tar.gz", ".", "a.b.c.tar"}},
  {"dir/sub/", {"dir/sub/", "dir/sub/", "", "dir", ""}},
  {"./x", {"./x", "./x", "x", ".", "x"}},
  {"x", {"x", "x", "x", ".", "x"}},
  {"dir.d/file", {"dir.d/file", "dir.d/file", "file", "dir.d", "file"}},
  {".hidden", {".hidden", "", ".hidden", ".", ""}},
  {"/abs/p.q", {"/abs/p.q", "/abs/p", "p.q", "/abs", "p"}},
  {"my dir/b c.tar.gz", {"my dir/b c.tar.gz", "my dir/b c.tar", "b c.tar.gz", "my dir", "b c.tar"}},
  {"it's/x.y", {"it's/x.y", "it's/x", "x.y", "it's", "x"}},
};

std::string nul_terminated(const std::vector<std::string>& arguments)
{
  std::string bytes;
  for (const std::string& argument : arguments) {
    bytes += argument;
    bytes += '\0';
  }
  return bytes;
}

// fanout's arguments: a command of `command` and every input of k_parts.
std::vector<std::string> with_every_input(std::vector<std::string> command)
{
  command.emplace_back(":::");
  for (const Parts& each : k_parts) {
    command.emplace_back(each.input);
  }
  return command;
}

void expect_every_input_split(const Sandbox& box)
{
  for (std::size_t i = 0; i < k_parts.size(); ++i) {
    EXPECT_EQ(box.read_file("out-" + std::to_string(i + 1)), nul_terminated(k_parts[i].parts))
      << k_parts[i].input;
  }
}

} // namespace

TEST(InputsReplacement, PartsOfAnInputInArgv)
{
  Sandbox box;

  auto result = box.run(with_every_input(
    {"--", TEST_CHILD_BIN, "args", "out-{#}", "{}", "{.}", "{/}", "{//}", "{/.}"}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  expect_every_input_split(box);
}

TEST(InputsReplacement, PartsOfAnInputInAShellCommand)
{
  Sandbox box;

  auto result = box.run(
    with_every_input({"--", std::string(TEST_CHILD_BIN) + " args out-{#} {} {.} {/} {//} {/.}"}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  expect_every_input_split(box);
}

TEST(InputsReplacement, NumberedPartsPickTheirSource)
{
  Sandbox box;

  auto result =
    box.run({"-j", "1", "--", TEST_CHILD_BIN, "args", "out-{#}", "{1.}", "{1/}", "{1//}", "{1/.}",
             "{2}", "{2.}", ":::", "d/a.txt", "my dir/b c.tar.gz", ":::", "x.y"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), nul_terminated({"d/a", "a.txt", "d", "a", "x.y", "x"}));
  EXPECT_EQ(box.read_file("out-2"),
            nul_terminated({"my dir/b c.tar", "b c.tar.gz", "my dir", "b c.tar", "x.y", "x"}));
}

TEST(InputsReplacement, NumberedPartsInAShellCommand)
{
  Sandbox box;

  auto result =
    box.run({"-j", "1", "--", std::string(TEST_CHILD_BIN) + " args out-{#} {2/.} {1}{2//}",
             ":::", "a b", ":::", "c d/e f.g"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), nul_terminated({"e f", "a bc d"}));
}

TEST(InputsReplacement, AReplacementStringInsideAnArgumentKeepsTheRest)
{
  Sandbox box;

  auto result =
    box.run({"--", TEST_CHILD_BIN, "args", "out-{#}", "--in={}", "{.}.out", ":::", "data/x y.csv"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), nul_terminated({"--in=data/x y.csv", "data/x y.out"}));
}

TEST(InputsReplacement, WithoutAReplacementStringTheInputsAreAppended)
{
  Sandbox box;

  auto argv_run = box.run(
    {"-j", "1", "--", TEST_CHILD_BIN, "args", "argv-{#}", "first", ":::", "a b", ":::", "c"});
  auto shell_run = box.run({"-j", "1", "--", std::string(TEST_CHILD_BIN) + " args sh-{#} first",
                            ":::", "a b", ":::", "c"});

  EXPECT_EQ(argv_run.exit_code, 0) << argv_run.err;
  EXPECT_EQ(shell_run.exit_code, 0) << shell_run.err;
  EXPECT_EQ(box.read_file("argv-1"), nul_terminated({"first", "a b", "c"}));
  EXPECT_EQ(box.read_file("sh-1"), nul_terminated({"first", "a b", "c"}));
}

TEST(InputsReplacement, BracesAroundOtherTextAreNotPlaceholders)
{
  Sandbox box;

  auto result =
    box.run({"--", TEST_CHILD_BIN, "args", "out-{#}", "{ x }", "${HOME}", "{}", ":::", "v"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(box.read_file("out-1"), nul_terminated({"{ x }", "${HOME}", "v"}));
}

// With several sources {} stands for all their values: a lone {} as that
// many arguments; inside an argument, one, the values joined by a space.
// In a shell command each value is a word of its own, as in GNU parallel
// (x{}y: "xa b" and "it'sy"), and inside the command's quotes they are one
// word, joined by a space.
TEST(InputsReplacement, BracesWithSeveralSourcesAreEveryValue)
{
  Sandbox box;
  const std::vector<std::string> sources{":::", "a b", ":::", "it's"};
  auto run_with = [&](std::vector<std::string> command) {
    command.insert(command.begin(), "--");
    command.insert(command.end(), sources.begin(), sources.end());
    auto result = box.run(command);
    EXPECT_EQ(result.exit_code, 0) << result.err;
  };

  run_with({TEST_CHILD_BIN, "args", "argv-{#}", "{}", "x{}y"});
  run_with({std::string(TEST_CHILD_BIN) + " args sh-{#} {} x{}y \"{}\" '{}'"});

  EXPECT_EQ(box.read_file("argv-1"), nul_terminated({"a b", "it's", "xa b it'sy"}));
  EXPECT_EQ(box.read_file("sh-1"),
            nul_terminated({"a b", "it's", "xa b", "it'sy", "a b it's", "a b it's"}));
}
