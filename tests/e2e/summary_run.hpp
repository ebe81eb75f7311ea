// SPDX-License-Identifier: MIT
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace e2e {

// One run of fanout, a case of the test JobFile.Run (summary_run.cpp): a job
// file, fanout's arguments, the exit code and the summary (stderr, times
// masked) the run must give, and the pid files of processes that must be
// gone after it. A test file instantiates JobFile with its cases, under its
// own prefix: INSTANTIATE_TEST_SUITE_P(Daemon, JobFile, ValuesIn(...), name_of).
struct SummaryRun {
  const char* name; // the case's, in the test's name
  const char* jobs;
  std::vector<std::string> args;
  int exit_code;
  const char* summary;
  std::vector<std::string> pid_files = {};
};

class JobFile : public testing::TestWithParam<SummaryRun> {};

// How GoogleTest prints a case, and names it: by its name.
inline void PrintTo(const SummaryRun& run, std::ostream* os)
{
  *os << run.name;
}

inline std::string name_of(const testing::TestParamInfo<SummaryRun>& info)
{
  return info.param.name;
}

} // namespace e2e
