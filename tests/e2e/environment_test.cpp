// SPDX-License-Identifier: MIT
// End-to-end tests of big job environments: how many variables a job may
// add without slowing fanout down for every job it starts.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

// "K00042", the name of the `i`th variable.
std::string key(int i)
{
  char text[16];
  std::snprintf(text, sizeof text, "K%05d", i);
  return text;
}

std::string job_name(int i)
{
  return (i < 10 ? "j0" : "j") + std::to_string(i);
}

} // namespace

// 30 jobs share [defaults]' 40,000 variables, and one adds one of its own on
// top of them; each gets them all, FANOUT_* and fanout's own environment. The
// harness's ceiling bounds the run: building each job's environment must
// take time in proportion to its size, not to its square.
TEST(BigEnvironment, EveryJobGetsTheSharedVariables)
{
  Sandbox box;
  std::string jobs = "[defaults.env]\n";
  for (int i = 0; i < 40'000; ++i) {
    jobs += key(i) + " = \"v" + std::to_string(i) + "\"\n";
  }
  std::string summary = "fanout: 30 jobs in T: 29 ok, 1 failed\n";
  for (int i = 1; i <= 30; ++i) {
    jobs += "\n[[job]]\nname = \"" + job_name(i) + "\"\n";
    if (i == 15) {
      jobs += "env = { K20000 = \"own\" }\n"
              "argv = ['@CHILD@', 'env', 'K19999', 'env', 'K20000', 'exit', '3']\n";
      summary += "  j15  failed      3   T\n";
    } else if (i == 30) {
      jobs += "argv = ['@CHILD@', 'env', 'K00000', 'env', 'K39999', 'env', 'FANOUT_JOB_NAME',\n"
              "        'env', 'FANOUT_E2E_INHERITED']\n";
      summary += "  j30  ok          0   T\n";
    } else {
      jobs += "argv = ['@CHILD@']\n";
      summary += "  " + job_name(i) + "  ok          0   T\n";
    }
  }
  box.write_jobs(jobs);

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(split_lines(result.out).size(), 6u) << result.out;
  EXPECT_EQ(lines_after(result.out, "j15 | "),
            (std::vector<std::string>{"K19999=v19999", "K20000=own"}));
  EXPECT_EQ(lines_after(result.out, "j30 | "),
            (std::vector<std::string>{"K00000=v0", "K39999=v39999", "FANOUT_JOB_NAME=j30",
                                      "FANOUT_E2E_INHERITED=yes"}));
  EXPECT_EQ(mask_times(result.err), summary);
}
