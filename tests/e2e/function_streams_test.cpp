// SPDX-License-Identifier: MIT
// A function job's job->out and job->err in both pools: the function may
// close them.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

class FunctionStreams : public testing::TestWithParam<std::string> {
protected:
  std::vector<std::string> args() const { return {"--pool", GetParam(), "--color", "never"}; }
};

INSTANTIATE_TEST_SUITE_P(Pools, FunctionStreams, testing::Values("process", "thread"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

} // namespace

TEST_P(FunctionStreams, FunctionMayCloseItsStdout)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"closer\"\ncall = \"" + std::string(TEST_JOBS_LIB) +
                 ":close_out\"\n");

  auto result = box.run(args());

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "closer | before closing\n");
  EXPECT_EQ(mask_times(result.err), "closer | after closing\n"
                                    "fanout: 1 job in T: 1 ok\n"
                                    "  closer  ok          0   T\n");
}
