// SPDX-License-Identifier: MIT
// --dry-run keeps each job on one line that a shell runs as fanout would.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::Sandbox;
using e2e::split_lines;

// A newline in a command or an argument would split its job's line; quoted
// as bash's $'...', the line runs the same in bash as the job does.
TEST(DryRun, CommandsWithNewlinesStayOnOneLineThatBashRuns)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "script"
cmd = """
echo one
echo 'two  words'
"""

[[job]]
name = "args"
argv = ['printf', '[%s]\n', "line one\nline two", "tab\there", "it's"]
)");

  auto listed = box.run({"--dry-run"});

  EXPECT_EQ(listed.exit_code, 0);
  const std::vector<std::string> lines = split_lines(listed.out);
  ASSERT_EQ(lines.size(), 2u) << listed.out;
  ASSERT_TRUE(lines[0].starts_with("script: ") && lines[1].starts_with("args: ")) << listed.out;
  std::vector<std::string> outputs;
  for (const std::string& command : {lines[0].substr(8), lines[1].substr(6)}) {
    auto result = box.run_program("/bin/bash", {"-c", command});
    EXPECT_EQ(result.exit_code, 0) << command;
    outputs.push_back(result.out);
  }
  EXPECT_EQ(outputs, (std::vector<std::string>{"one\ntwo  words\n",
                                               "[line one\nline two]\n[tab\there]\n[it's]\n"}));
}
