// SPDX-License-Identifier: MIT
// The test of the cases that other test files give JobFile (summary_run.hpp):
// each runs fanout on its job file in a fresh sandbox.

#include "summary_run.hpp"

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>

namespace e2e {

TEST_P(JobFile, Run)
{
  const SummaryRun& run = GetParam();
  Sandbox box;
  box.write_jobs(run.jobs);

  auto result = box.run(run.args);

  EXPECT_EQ(result.exit_code, run.exit_code);
  EXPECT_EQ(mask_times(result.err), run.summary);
  for (const std::string& pid_file : run.pid_files) {
    EXPECT_TRUE(wait_until_gone(box.read_pid(pid_file))) << pid_file;
  }
}

} // namespace e2e
