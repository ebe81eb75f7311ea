// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "run/run_events.hpp"

namespace fanout {

// Whether fanout says when each job starts and ends (`-v`).
enum class Verbosity { normal, verbose };

// fanout's own lines during a run, on stderr, each starting "fanout: ":
// a retry ("fanout: unit failed 1, retrying in 1s (attempt 2 of 3)"),
// and with `verbose` each attempt's start and end and each daemon found
// ready.
class RunMessages : public RunObserver {
public:
  // The console must outlive the observer.
  RunMessages(Console& console, Verbosity verbosity);

  void job_started(const JobEvent& e) override;
  void attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed) override;
  void job_retrying(const JobEvent& e, const Outcome& outcome, Duration delay,
                    unsigned attempts) override;
  void daemon_ready(const JobEvent& e) override;

private:
  void say(const std::string& line);

  Console& m_console;
  bool m_verbose;
};

} // namespace fanout
