// SPDX-License-Identifier: MIT
#include "report/run_messages.hpp"

#include "jobfile/duration.hpp"
#include "output/tag.hpp"
#include "report/report.hpp"

namespace fanout {

namespace {

// "failed 1", "timeout -15", "timeout -": a status and its code.
std::string status_and_code(const Outcome& outcome)
{
  return std::string(status_name(outcome.status)) + " " +
         (has_code(outcome) ? std::to_string(outcome.code) : "-");
}

} // namespace

RunMessages::RunMessages(Console& console, Verbosity verbosity)
    : m_console(console), m_verbose(verbosity == Verbosity::verbose)
{
}

void RunMessages::say(const std::string& line)
{
  m_console.write(Stream::err, "fanout: " + line + "\n");
}

void RunMessages::job_started(const JobEvent& e)
{
  if (m_verbose) {
    const std::string where = e.slot == 0 ? "as a daemon" : "slot " + std::to_string(e.slot);
    say("started " + tag_of(e.job.name, e.attempt) + " (" + where + ")");
  }
}

void RunMessages::attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed)
{
  if (m_verbose) {
    say("finished " + e.job.name + ": " + status_and_code(outcome) + " in " +
        seconds_text(elapsed));
  }
}

void RunMessages::job_retrying(const JobEvent& e, const Outcome& outcome, Duration delay,
                               unsigned attempts)
{
  say(tag_of(e.job.name, e.attempt) + " " + status_and_code(outcome) + ", retrying in " +
      format_duration(delay) + " (attempt " + std::to_string(e.attempt + 1) + " of " +
      std::to_string(attempts) + ")");
}

void RunMessages::daemon_ready(const JobEvent& e)
{
  if (m_verbose) {
    say(e.job.name + " is ready");
  }
}

} // namespace fanout
