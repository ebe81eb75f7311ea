// SPDX-License-Identifier: MIT
#pragma once

#include "report/report_file.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace fanout {

// `--joblog FILE`: GNU parallel's job log, a TSV file with the header
// "Seq Host Starttime JobRuntime Send Receive Exitval Signal Command" and a
// row per job that started, written when it ends for good; its columns are
// parallel's (fanout(1), --joblog). A job that never started has no row,
// as in parallel. What it keeps meanwhile is the last attempt of each
// running job, so its memory does not grow with the number of jobs.
class Joblog final : public ReportFile {
public:
  // Opens `path` as ReportFile does (and throws as it does), and writes
  // the header there.
  explicit Joblog(std::string path);

  void job_started(const JobEvent& e) override;
  void job_output(const JobEvent& e, Stream stream, std::string_view bytes) override;
  void attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed) override;
  void job_finished(const JobEvent& e, const JobResult& result) override;
  void run_finished(const Report& report) override;

private:
  // A running job's last attempt: parallel logs a retried job's last one.
  struct Attempt {
    std::chrono::system_clock::time_point start;
    std::chrono::steady_clock::time_point steady_start;
    Seconds runtime{0};         // set when it ended
    std::uint64_t received = 0; // bytes of stdout
  };

  void write_incomplete_end(std::string_view) override {}

  std::unordered_map<JobId, Attempt> m_attempts; // running jobs only
};

} // namespace fanout
