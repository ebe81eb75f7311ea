// SPDX-License-Identifier: MIT
// jobfiles/ci.toml, the README's CI step, run as shipped: the stages run in
// order, the service is ready before its user and stopped at the end, and a
// failure of any stage gives exit code 1 with the right jobs skipped. The
// file's FAIL variable picks the stage that fails; the test sets it through
// [defaults] in a copy of the file.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;

namespace {

std::string ci_jobfile(const std::string& failing_stage)
{
  std::ifstream file(std::string(JOBFILES_DIR) + "/ci.toml");
  std::stringstream text;
  text << file.rdbuf();
  std::string jobs = text.str();
  const std::string defaults = "[defaults]\n";
  jobs.replace(jobs.find(defaults), defaults.size(),
               defaults + "env = { FAIL = \"" + failing_stage + "\" }\n");
  return jobs;
}

struct Stage {
  const char* failing;
  const char* summary; // times masked
};

class CiJobFile : public ::testing::TestWithParam<Stage> {};

} // namespace

TEST(CiJobFile, RunsThePipelineInOrderAndStopsTheService)
{
  Sandbox box;
  box.write_jobs(ci_jobfile(""));

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> integration = {"database answered PONG"};
  EXPECT_EQ(lines_after(result.out, "integration   | "), integration);
  EXPECT_EQ(lines_after(result.out, "package       | "),
            std::vector<std::string>{"built app-1.0.tar.gz"});
  EXPECT_EQ(mask_times(result.err), "fanout: 5 jobs in T: 4 ok, 1 stopped\n"
                                    "  lint         ok          0   T\n"
                                    "  unit         ok          0   T\n"
                                    "  db           stopped   -15   T  SIGTERM\n"
                                    "  integration  ok          0   T\n"
                                    "  package      ok          0   T\n");
}

TEST_P(CiJobFile, AFailingStageFailsTheRunAndSkipsWhatNeedsIt)
{
  const Stage& stage = GetParam();
  Sandbox box;
  box.write_jobs(ci_jobfile(stage.failing));

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), stage.summary);
}

INSTANTIATE_TEST_SUITE_P(
  EachStage, CiJobFile,
  ::testing::Values(Stage{"lint", "lint          | src/main.c:3: line too long\n"
                                  "fanout: 5 jobs in T: 2 ok, 1 failed, 1 stopped, 1 skipped\n"
                                  "  lint         failed      1   T\n"
                                  "  unit         ok          0   T\n"
                                  "  db           stopped   -15   T  SIGTERM\n"
                                  "  integration  ok          0   T\n"
                                  "  package      skipped     -       -  because lint failed\n"},
                    Stage{"unit", "unit          | suite runner: 1 of 12 failed\n"
                                  "fanout: 5 jobs in T: 1 ok, 1 failed, 1 stopped, 2 skipped\n"
                                  "  lint         ok          0   T\n"
                                  "  unit         failed      1   T\n"
                                  "  db           stopped   -15   T  SIGTERM\n"
                                  "  integration  skipped     -       -  because unit failed\n"
                                  "  package      skipped     -       -  because unit failed\n"},
                    Stage{"db", "db            | cannot open the data folder\n"
                                "fanout: 5 jobs in T: 2 ok, 1 failed, 2 skipped\n"
                                "  lint         ok          0   T\n"
                                "  unit         ok          0   T\n"
                                "  db           failed      1   T  ended before it was ready\n"
                                "  integration  skipped     -       -  because db failed\n"
                                "  package      skipped     -       -  because db failed\n"},
                    Stage{"integration",
                          "integration   | expected PONG, got nothing\n"
                          "fanout: integration failed 1, retrying in 500ms (attempt 2 of 2)\n"
                          "integration#2 | expected PONG, got nothing\n"
                          "fanout: 5 jobs in T: 2 ok, 1 failed, 1 stopped, 1 skipped\n"
                          "  lint         ok          0   T\n"
                          "  unit         ok          0   T\n"
                          "  db           stopped   -15   T  SIGTERM\n"
                          "  integration  failed      1   T  2 attempts\n"
                          "  package      skipped     -       -  because integration failed\n"},
                    Stage{"package", "package       | no space left on device\n"
                                     "fanout: 5 jobs in T: 3 ok, 1 failed, 1 stopped\n"
                                     "  lint         ok          0   T\n"
                                     "  unit         ok          0   T\n"
                                     "  db           stopped   -15   T  SIGTERM\n"
                                     "  integration  ok          0   T\n"
                                     "  package      failed      1   T\n"}),
  [](const ::testing::TestParamInfo<Stage>& info) { return std::string(info.param.failing); });
