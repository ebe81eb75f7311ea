// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "output/output.hpp"
#include "output/status_text.hpp"
#include "run/run_events.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

namespace fanout {

// Whether a run shows its status line: never with `never`, and only when
// the console's stderr is a terminal; with `automatic`, only when TERM names
// a terminal that can erase a line (set, and not "dumb").
bool shows_status(StatusMode mode, const Console& console);

// The live status line at the bottom of a terminal (fanout(1), OUTPUT):
// how many jobs ended of how many, how many failed, the time so far, an
// ETA, and the running jobs. An observer of the run that counts what it
// hears, and draws through the console's status line at most ten times a
// second, and once a second while nothing happens. The line is gone once
// every job has ended, before the summary, and when this is destroyed.
//
// The total counts the selected jobs of the job file, and the members of
// each group whose inputs are known up front (values, ranges, a matrix);
// a group that reads lines or a glob counts the members started so far,
// and makes the total "N+" until the run ends. A job left unstarted (a
// failed need, an interrupt) stays in the total: the summary says why. A
// job that --resume found done in an earlier run leaves the total: the
// line counts what this run does, and its ETA the pace of that.
class StatusLine final : public RunObserver {
public:
  // Counts the time from now. `jobs` (the job file's) and `selected` (the
  // run's ids of them) are read here only; `io` is the run's event loop,
  // where the line's timers wait. `io` and `console` must outlive this.
  StatusLine(boost::asio::io_context& io, Console& console, const std::vector<JobSpec>& jobs,
             const std::vector<JobId>& selected);
  ~StatusLine() override;
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  void job_started(const JobEvent& e) override;
  void attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed) override;
  void job_finished(const JobEvent& e, const JobResult& result) override;
  void job_done_earlier(std::string_view group, const JobResult& result) override;
  void all_jobs_ended() override;

private:
  using Clock = std::chrono::steady_clock;

  struct Running {
    JobId id;
    std::string tag;
  };

  // Something changed: a redraw, now or once the last one is old enough.
  void changed();
  void draw();
  void tick();
  StatusCounts counts() const;

  Console& m_console;
  boost::asio::steady_timer m_redraw;
  boost::asio::steady_timer m_tick;
  Clock::time_point m_start;
  Clock::time_point m_next_draw; // no redraw before it
  std::size_t m_file_jobs;       // a job id from here on is a group's member
  std::size_t m_plain = 0;       // selected jobs that are not groups
  std::size_t m_listed = 0;      // members of the groups whose inputs are known up front
  bool m_unlisted = false;       // a selected group reads its inputs as it goes
  std::unordered_set<std::string> m_listing_groups; // the groups m_listed counts
  std::size_t m_plain_earlier = 0;                  // of m_plain, done in an earlier run
  std::size_t m_listed_earlier = 0;                 // of m_listed, done in an earlier run
  std::size_t m_members = 0;                        // members started
  std::size_t m_done = 0;
  std::size_t m_failed = 0;
  std::vector<Running> m_running; // oldest first
  bool m_redraw_pending = false;
  bool m_ended = false;
};

} // namespace fanout
