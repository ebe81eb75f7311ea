// SPDX-License-Identifier: MIT
#pragma once

#include "output/output_tail.hpp"
#include "report/report_file.hpp"
#include "run/run_events.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fanout {

// `--junit FILE`: a JUnit XML report of the run (fanout(1), --junit), as
// Jenkins and GitLab read it: one testsuite, one testcase per job, written
// to a temporary file beside FILE as each job ends and renamed to FILE when
// the run is over. A job's testcase is named after it; its classname is
// its group's name for a member of a group, else "fanout". A job that
// failed, was killed, timed out or was cancelled has a `failure`, one that
// could not start an `error`, each with the last lines of its last
// attempt's output; one that never started is `skipped`, and so is one that
// --resume found done in an earlier run. Memory does not
// grow with the jobs: a tail of output per running job, and the counts.
class JunitReport : public ReportFile {
public:
  // The lines and bytes of a job's output a failure shows at most: its end.
  static constexpr std::size_t k_tail_lines = 40;
  static constexpr std::size_t k_tail_bytes = 16 * 1024;

  // Creates the temporary file and writes the report's start. `file` and
  // `selected` are the run's, to tell the rows of groups in the final
  // Report. Throws fanout::Error naming `path` when it cannot write there.
  JunitReport(std::string path, const JobFile& file, const std::vector<JobId>& selected);

  // A job's attempt keeps the end of its output from its start;
  // job_finished writes the job's testcase and forgets the job.
  void job_started(const JobEvent& event) override;
  void job_output(const JobEvent& event, Stream stream, std::string_view bytes) override;
  void job_output_closed(const JobEvent& event, Stream stream) override;
  void job_finished(const JobEvent& event, const JobResult& result) override;
  // A job done in an earlier run (--resume) is `skipped`, with that note.
  void job_done_earlier(std::string_view group, const JobResult& result) override;

  // Writes the jobs that never started and every other row no job_finished
  // brought, the counts, and renames the file into place.
  void run_finished(const Report& report) override;

private:
  // The run ended by an exception, `why`, before run_finished: an `error`
  // testcase "run did not finish" says so.
  void write_incomplete_end(std::string_view why) override;

  // A job from its attempt's start to its end: its group and the output
  // tail of its attempt.
  struct Running {
    std::string group;
    OutputTail tail;
  };

  struct Testcase; // one testcase, as written

  void write_testcase(const JobResult& result, std::string_view classname, const OutputTail* tail);
  void write_testcase(const Testcase& testcase);
  void finish(Seconds elapsed, std::string_view incomplete);
  std::string_view classname_of_row(std::string_view name) const;

  std::size_t m_counts_at = 0; // where the header's room for the counts starts
  std::chrono::steady_clock::time_point m_start;
  std::unordered_set<std::string> m_groups; // the run's groups, by name
  std::unordered_map<JobId, Running> m_running;
  std::size_t m_tests = 0;
  std::size_t m_failures = 0;
  std::size_t m_errors = 0;
  std::size_t m_skipped = 0;
};

} // namespace fanout
