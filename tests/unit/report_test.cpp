// SPDX-License-Identifier: MIT
#include "report/report.hpp"
#include "run/result_log.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <functional>

namespace fanout {
namespace {

JobResult result(std::string name, Status status, int code, double seconds,
                 const std::function<void(Outcome&)>& edit = {})
{
  Outcome outcome(status, code);
  if (edit) {
    edit(outcome);
  }
  return JobResult{std::move(name), std::move(outcome), Seconds(seconds)};
}

// What fanout did to end a job, with its limits.
std::function<void(Outcome&)> stopped_by(Stop stop, Duration timeout = {}, Duration grace = {},
                                         Cause::Kind cause = Cause::Kind::none)
{
  return [=](Outcome& o) {
    o.stop = stop;
    o.timeout = timeout;
    o.grace = grace;
    o.cause = Cause(cause);
  };
}

std::function<void(Outcome&)> saying(std::string message)
{
  return [message](Outcome& o) { o.message = message; };
}

// A report of `results`, in their order, as a run makes it.
Report report_of(std::vector<JobResult> results, double seconds = 0,
                 std::size_t row_limit = ResultLog::k_row_limit)
{
  Report report;
  report.elapsed = Seconds(seconds);
  ResultLog log(row_limit);
  JobId position = 0;
  for (JobResult& result : results) {
    log.add(std::move(result), position++);
  }
  log.fill(report);
  return report;
}

// The seed's exit-code example, as the man page shows its summary.
Report seed_report()
{
  return report_of(
    {
      result("exit_error", Status::failed, 1, 0.01),
      result("exit_ok", Status::ok, 0, 0.01),
      result("return_value", Status::ok, 0, 0.01),
      result("raises", Status::failed, 1, 0.02, saying("RuntimeError: There was an error!")),
      result("terminated", Status::timeout, -15, 3.0,
             stopped_by(Stop::term, std::chrono::seconds(3))),
    },
    3.02);
}

TEST(FormatSummary, MatchesTheDesign)
{
  EXPECT_EQ(format_summary(seed_report(), SummaryRows::all),
            "fanout: 5 jobs in 3.02s: 2 ok, 2 failed, 1 timed out\n"
            "  exit_error    failed      1   0.01s\n"
            "  exit_ok       ok          0   0.01s\n"
            "  return_value  ok          0   0.01s\n"
            "  raises        failed      1   0.02s  RuntimeError: There was an error!\n"
            "  terminated    timeout   -15   3.00s  SIGTERM after 3s\n");
}

TEST(FormatSummary, FailuresOnlyKeepsTheHeader)
{
  EXPECT_EQ(format_summary(seed_report(), SummaryRows::failures_only),
            "fanout: 5 jobs in 3.02s: 2 ok, 2 failed, 1 timed out\n"
            "  exit_error  failed      1   0.01s\n"
            "  raises      failed      1   0.02s  RuntimeError: There was an error!\n"
            "  terminated  timeout   -15   3.00s  SIGTERM after 3s\n");
}

TEST(FormatSummary, FailuresOnlyIsEmptyWhenAllSucceeded)
{
  const Report report = report_of({result("a", Status::ok, 0, 0.5)});
  EXPECT_EQ(format_summary(report, SummaryRows::failures_only), "");
}

TEST(FormatSummary, EveryStatusInTableOrder)
{
  const Report report = report_of(
    {
      result("s", Status::skipped, 0, 0,
             [](Outcome& o) { o.cause = Cause(Cause::Kind::interrupt); }),
      result("c", Status::cancelled, -9, 10.5,
             stopped_by(Stop::kill, {}, {}, Cause::Kind::interrupt)),
      result("e", Status::error, 127, 0, saying("program not found: nope")),
      result("t", Status::timeout, -9, 1.25,
             stopped_by(Stop::kill, std::chrono::seconds(1), std::chrono::milliseconds(250))),
      result("k", Status::killed, -11, 0.1),
      result("f", Status::failed, 255, 0.1),
      result("o", Status::ok, 0, 0.1),
    },
    12.345);
  EXPECT_EQ(format_summary(report, SummaryRows::all),
            "fanout: 7 jobs in 12.35s: 1 ok, 1 failed, 1 killed, 1 timed out, 1 could not start, "
            "1 cancelled, 1 skipped\n"
            "  s  skipped     -        -  run interrupted\n"
            "  c  cancelled  -9   10.50s  SIGKILL on interrupt\n"
            "  e  error     127    0.00s  program not found: nope\n"
            "  t  timeout    -9    1.25s  SIGKILL after 1s + 250ms grace\n"
            "  k  killed    -11    0.10s  SIGSEGV\n"
            "  f  failed    255    0.10s\n"
            "  o  ok          0    0.10s\n");
}

TEST(FormatSummary, OneJobIsSingular)
{
  const Report report = report_of({result("only", Status::ok, 0, 0.004)}, 0.004);
  EXPECT_EQ(format_summary(report, SummaryRows::all), "fanout: 1 job in 0.00s: 1 ok\n"
                                                      "  only  ok          0   0.00s\n");
}

TEST(ExitCodeFor, ZeroOneOrSignal)
{
  EXPECT_EQ(exit_code_for(report_of({result("a", Status::ok, 0, 0)})), 0);
  Report report = report_of({result("a", Status::ok, 0, 0), result("b", Status::error, 127, 0)});
  EXPECT_EQ(exit_code_for(report), 1);
  report.interrupted_by = SIGINT;
  EXPECT_EQ(exit_code_for(report), 130);
  report.interrupted_by = SIGTERM;
  EXPECT_EQ(exit_code_for(report), 143);
}

TEST(FormatSummary, PastTheRowLimitListsOnlyWhatDidNotSucceed)
{
  const Report report = report_of(
    {
      result("a", Status::ok, 0, 0.1),
      result("b", Status::failed, 3, 0.1),
      result("c", Status::ok, 0, 0.1),
      result("d", Status::ok, 0, 0.1),
      result("e", Status::killed, -9, 0.1),
    },
    1, 3);
  EXPECT_EQ(format_summary(report, SummaryRows::all),
            "fanout: 5 jobs in 1.00s: 3 ok, 1 failed, 1 killed\n"
            "  b  failed      3   0.10s\n"
            "  e  killed     -9   0.10s  SIGKILL\n"
            "  and 3 more that succeeded\n");
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST(FormatSummary, UpToTheRowLimitListsEveryJob)
{
  const Report report =
    report_of({result("a", Status::ok, 0, 0.1), result("b", Status::ok, 0, 0.1)}, 1, 2);
  EXPECT_EQ(format_summary(report, SummaryRows::all), "fanout: 2 jobs in 1.00s: 2 ok\n"
                                                      "  a  ok          0   0.10s\n"
                                                      "  b  ok          0   0.10s\n");
}

// With --log-dir each row that started names its last attempt's file, in
// a column before the note; a last line names the folder.
TEST(FormatSummary, NamesEachJobsLogFile)
{
  Report report = report_of({
    result("gz:1:a.csv", Status::failed, 1, 0.1, saying("disk full")),
    result("lint", Status::ok, 0, 0.1),
    result("unit", Status::skipped, 0, 0,
           [](Outcome& o) { o.cause = Cause(Cause::Kind::dependency, "lint", Status::failed); }),
  });
  report.results[1].attempts = 3;
  EXPECT_EQ(format_summary(report, SummaryRows::all, "ci/logs"),
            "fanout: 3 jobs in 0.00s: 1 ok, 1 failed, 1 skipped\n"
            "  gz:1:a.csv  failed      1   0.10s  gz_1_a.csv-0707a20e.log  disk full\n"
            "  lint        ok          0   0.10s  lint.3.log               after 3 attempts\n"
            "  unit        skipped     -       -  -                        because lint failed\n"
            "  logs in ci/logs\n");
}

TEST(ExitCodeFor, NoJobsIsSuccess)
{
  EXPECT_EQ(exit_code_for(Report{}), 0);
}

} // namespace
} // namespace fanout
