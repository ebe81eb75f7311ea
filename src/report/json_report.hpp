// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "report/report_file.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fanout {

// Where the output of attempt `attempt` of the job named `job_name` was
// logged, or nothing when it was not.
using LogPathOf =
  std::function<std::optional<std::string>(std::string_view job_name, unsigned attempt)>;

// `--json FILE`: the run and each of its jobs as JSON, in the schema that
// docs/report-json.md describes. A job's row is written when it ends for
// good, and forgotten; a job that never started gets its row when the run
// is over. What it keeps meanwhile is the start of each running job, so
// its memory does not grow with the number of jobs. Every string is valid
// UTF-8: a byte that is not becomes U+FFFD.
class JsonReport final : public ReportFile {
public:
  // Opens `path` as ReportFile does (and throws as it does), and writes
  // the run's `options` there. `log_path`, when set, gives each job's log
  // of its last attempt.
  JsonReport(std::string path, const Options& options, LogPathOf log_path = {});

  void job_started(const JobEvent& e) override;
  void job_finished(const JobEvent& e, const JobResult& result) override;
  void job_done_earlier(std::string_view group, const JobResult& result) override;
  void run_finished(const Report& report) override;

private:
  using WallClock = std::chrono::system_clock;

  void write_incomplete_end(std::string_view why) override;
  // Appends one job's row (serialized) to the list.
  void write_row(const std::string& row, const JobResult& result);
  // Ends the list of jobs, then the file with the run's object (serialized).
  void write_end(const std::string& run);

  LogPathOf m_log_path;
  WallClock::time_point m_start = WallClock::now();
  std::chrono::steady_clock::time_point m_steady_start = std::chrono::steady_clock::now();
  std::unordered_map<JobId, WallClock::time_point> m_job_starts; // running jobs only
  Tally m_tally;                                                 // the rows written
};

} // namespace fanout
