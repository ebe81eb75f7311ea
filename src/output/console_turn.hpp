// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "run/run_events.hpp"

#include <optional>

namespace fanout {

// Gives a job of the console pool fanout's terminal for each of its
// attempts (fanout(1), JOB FILE, [pools]): when it starts, what the
// console has queued is written out and the status line erased, then the
// console is held, so that the other jobs' output waits; when the attempt
// ends, fanout's process group is made the terminal's foreground again if
// the job took it, and the console writes what waited. The scheduler runs
// one such job at a time. Add it after the observers that print.
class ConsoleTurn : public RunObserver {
public:
  // `console` must outlive this observer.
  explicit ConsoleTurn(Console& console) : m_console(console) {}
  // Ends a turn still under way (a run ended by an error).
  ~ConsoleTurn() override;
  ConsoleTurn(const ConsoleTurn&) = delete;
  ConsoleTurn& operator=(const ConsoleTurn&) = delete;

  void job_started(const JobEvent& event) override;
  void attempt_ended(const JobEvent& event, const Outcome&, Seconds) override;

private:
  void end_turn();

  Console& m_console;
  std::optional<JobId> m_job; // the console job that has the terminal
  bool m_gave_terminal = false;
};

} // namespace fanout
