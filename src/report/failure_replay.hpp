// SPDX-License-Identifier: MIT
#pragma once

#include "output/output_tail.hpp"
#include "run/run_events.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// Failures replayed: the last lines of each job that failed by itself
// (failed, killed, timed out, could not start; not allowed to fail), to be
// printed again after the summary under a header that names the job, so
// that the cause is on the last screen of a long log. A job cancelled or
// skipped because another failed is not a cause, and is not replayed.
// Memory stays bounded however many jobs fail: a tail for each running
// attempt, and the tails of the first k_max_jobs failures; the others are
// only counted.
class FailureReplay : public RunObserver {
public:
  // The jobs replayed at most; text() says how many more failed.
  static constexpr std::size_t k_max_jobs = 10;

  // Keeps the last `lines` lines of each job's last attempt (0: replays
  // nothing). Its lines are tagged as the run's own are: tags padded to
  // `width`, coloured when `color` (line_prefix).
  FailureReplay(std::size_t lines, std::size_t width, bool color);

  void job_started(const JobEvent& e) override;
  void job_output(const JobEvent& e, Stream stream, std::string_view bytes) override;
  void job_output_closed(const JobEvent& e, Stream stream) override;
  void job_retrying(const JobEvent& e, const Outcome& outcome, Duration delay,
                    unsigned attempts) override;
  void job_finished(const JobEvent& e, const JobResult& result) override;

  // The replay, for stderr after the summary, in the order the jobs ended:
  // for each job a header ("fanout: lint failed, output (last 20 of 312
  // lines):") and its tagged lines, both streams together; then how many
  // more failed, if any. Empty when no job is replayed.
  std::string text() const;

private:
  struct Replayed {
    JobId id;
    std::string tag; // its last attempt's, as its lines had it
    std::string header;
    OutputTail tail;
  };

  std::size_t m_lines;
  std::size_t m_width;
  bool m_color;
  std::unordered_map<JobId, OutputTail> m_running; // by job, until it ends for good
  std::vector<Replayed> m_replayed;
  std::size_t m_unshown = 0; // failures past k_max_jobs
};

} // namespace fanout
