// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "report/joblog.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fanout {
namespace {

constexpr std::string_view k_header =
  "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

JobSpec command_job(std::string cmd, std::vector<std::string> argv = {})
{
  JobSpec job;
  job.name = "job";
  job.cmd = std::move(cmd);
  job.argv = std::move(argv);
  return job;
}

// The outcome of a job that fanout ended with `stop`, and `code`.
Outcome stopped(Status status, int code, Stop stop)
{
  Outcome outcome(status, code);
  outcome.stop = stop;
  return outcome;
}

class JoblogTest : public fanout_test::TempFolderTest {
protected:
  std::string path() const { return (m_dir / "jobs.log").string(); }

  // The log written, with each row's Starttime checked (seconds since the
  // epoch, three decimals) and masked as "S", and its JobRuntime checked
  // (three decimals, right-aligned in 10 columns) and masked as "R".
  std::string written() const
  {
    std::ifstream in(path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::regex times(R"(^(\d+\t:\t)\d{10}\.\d{3}\t {5}\d\.\d{3}\t)", std::regex::multiline);
    const std::string masked = std::regex_replace(text.str(), times, "$1S\tR\t");
    EXPECT_EQ(std::regex_search(masked, std::regex(R"(^\d+\t:\t\d)", std::regex::multiline)), false)
      << text.str();
    return masked;
  }

  // One attempt of `job` as job `id`: started, `out` bytes of stdout and
  // `err` bytes of stderr, ended with `outcome`, finished when `last`.
  void attempt(Joblog& log, const JobSpec& job, JobId id, unsigned number, std::size_t out,
               std::size_t err, const Outcome& outcome, bool last = true)
  {
    const JobEvent e{id, job, number, 1, "job"};
    log.job_started(e);
    log.job_output(e, Stream::out, std::string(out, 'o'));
    log.job_output(e, Stream::err, std::string(err, 'e'));
    log.attempt_ended(e, outcome, Seconds(0));
    if (last) {
      log.job_finished(e, JobResult{job.name, outcome, Seconds(0), number});
    }
  }
};

// Exitval and Signal as GNU parallel writes them: the exit code; 0 and the
// signal for a job a signal ended; -1 and the signal for a job killed at
// its timeout (or cancelled), unless it then exited with a code of its own.
TEST_F(JoblogTest, WritesParallelsColumnsForEachWayAJobEnds)
{
  {
    Joblog log(path());
    const JobSpec job = command_job("make");
    attempt(log, job, 0, 1, 12, 3, Outcome(Status::ok, 0));
    attempt(log, job, 1, 1, 0, 0, Outcome(Status::failed, 3));
    attempt(log, job, 2, 1, 0, 0, Outcome(Status::killed, -9));
    attempt(log, job, 3, 1, 0, 0, stopped(Status::timeout, -15, Stop::term));
    attempt(log, job, 4, 1, 0, 0, stopped(Status::timeout, -9, Stop::kill));
    attempt(log, job, 5, 1, 0, 0, stopped(Status::timeout, 4, Stop::term));
    attempt(log, job, 6, 1, 0, 0, stopped(Status::ok, 0, Stop::term));
    attempt(log, job, 7, 1, 0, 0, Outcome(Status::error, 127));
    attempt(log, job, 8, 1, 0, 0, stopped(Status::cancelled, -15, Stop::term));
    attempt(log, job, 9, 1, 0, 0, stopped(Status::timeout, 0, Stop::abandoned));
    log.run_finished({});
  }
  EXPECT_EQ(written(), std::string(k_header) + "1\t:\tS\tR\t0\t12\t0\t0\tmake\n"
                                               "2\t:\tS\tR\t0\t0\t3\t0\tmake\n"
                                               "3\t:\tS\tR\t0\t0\t0\t9\tmake\n"
                                               "4\t:\tS\tR\t0\t0\t-1\t15\tmake\n"
                                               "5\t:\tS\tR\t0\t0\t-1\t9\tmake\n"
                                               "6\t:\tS\tR\t0\t0\t4\t0\tmake\n"
                                               "7\t:\tS\tR\t0\t0\t-1\t0\tmake\n"
                                               "8\t:\tS\tR\t0\t0\t127\t0\tmake\n"
                                               "9\t:\tS\tR\t0\t0\t-1\t15\tmake\n"
                                               "10\t:\tS\tR\t0\t0\t-1\t0\tmake\n");
}

// As parallel: one row for a retried job, its last attempt's, written once
// it ended for good.
TEST_F(JoblogTest, ARetriedJobHasTheRowOfItsLastAttempt)
{
  Joblog log(path());
  const JobSpec job = command_job("flaky");
  attempt(log, job, 4, 1, 100, 0, Outcome(Status::failed, 1), false);
  attempt(log, job, 4, 2, 7, 0, Outcome(Status::ok, 0));
  log.run_finished({});

  EXPECT_EQ(written(), std::string(k_header) + "5\t:\tS\tR\t0\t7\t0\t0\tflaky\n");
}

// The command is one line without a tab, as --dry-run shows it: the TSV
// keeps nine columns and a row per line whatever a job runs.
TEST_F(JoblogTest, TheCommandIsOneShellLine)
{
  Joblog log(path());
  JobSpec call;
  call.name = "seed";
  call.call = std::make_shared<const CallSpec>(CallSpec{"lib/libseed.so", "worker", {"a b"}});
  attempt(log, command_job("", {"printf", "%s\n", "it's", "tab\there", "\xff"}), 0, 1, 0, 0,
          Outcome(Status::ok, 0));
  attempt(log, command_job("echo 'one'\necho\ttwo"), 1, 1, 0, 0, Outcome(Status::ok, 0));
  attempt(log, call, 2, 1, 0, 0, Outcome(Status::ok, 0));
  log.run_finished({});

  EXPECT_EQ(written(), std::string(k_header) +
                         "1\t:\tS\tR\t0\t0\t0\t0\tprintf $'%s\\n' 'it'\\''s' $'tab\\there' "
                         "$'\\xff'\n"
                         "2\t:\tS\tR\t0\t0\t0\t0\t/bin/sh -c $'echo \\'one\\'\\necho\\ttwo'\n"
                         "3\t:\tS\tR\t0\t0\t0\t0\tcall lib/libseed.so:worker 'a b'\n");
}

// A job that never started has no row, as in parallel; the log is the
// header alone when no job started.
TEST_F(JoblogTest, JobsThatNeverStartedHaveNoRow)
{
  Joblog log(path());
  Report end;
  end.results.push_back(JobResult{"test", Outcome(Status::skipped, 0), Seconds(0), 1});
  log.run_finished(end);

  EXPECT_EQ(written(), k_header);
}

// An exception ended the run: the rows written are committed.
TEST_F(JoblogTest, ClosedBeforeTheEndOfTheRunKeepsItsRows)
{
  {
    Joblog log(path());
    attempt(log, command_job("true"), 0, 1, 0, 0, Outcome(Status::ok, 0));
    EXPECT_EQ(log.close(), std::nullopt);
    EXPECT_EQ(log.close(), std::nullopt);
  }
  EXPECT_EQ(written(), std::string(k_header) + "1\t:\tS\tR\t0\t0\t0\t0\ttrue\n");
}

TEST_F(JoblogTest, AFolderCannotBeAJoblog)
{
  EXPECT_THROW(Joblog(m_dir.string()), Error);
}

} // namespace
} // namespace fanout
