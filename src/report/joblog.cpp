// SPDX-License-Identifier: MIT
#include "report/joblog.hpp"

#include "report/listing.hpp"

#include <cstdio>

namespace fanout {

namespace {

constexpr std::string_view k_header =
  "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

// Exitval as parallel writes it: the exit code, 0 for a job that a signal
// ended, and -1 for one it killed itself (at its timeout) unless the job
// then exited with a code of its own. fanout kills at a timeout, on an
// interrupt, with --fail-fast and to stop a daemon.
int exit_value(const Outcome& outcome)
{
  if (has_code(outcome) && outcome.code > 0) {
    return outcome.code;
  }
  return outcome.stop == Stop::none ? 0 : -1;
}

// Signal: the number of the signal that ended the job, or 0.
int signal_value(const Outcome& outcome)
{
  return has_code(outcome) && outcome.code < 0 ? -outcome.code : 0;
}

// Starttime: seconds since the epoch, three decimals ("1796556618.446").
std::string epoch_text(std::chrono::system_clock::time_point t)
{
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return text;
}

// JobRuntime: seconds, three decimals, right-aligned in 10 columns.
std::string runtime_text(Seconds runtime)
{
  char text[32];
  std::snprintf(text, sizeof text, "%10.3f", runtime.count());
  return text;
}

} // namespace

Joblog::Joblog(std::string path) : ReportFile(std::move(path))
{
  write(k_header);
}

void Joblog::job_started(const JobEvent& e)
{
  m_attempts.insert_or_assign(
    e.id, Attempt{std::chrono::system_clock::now(), std::chrono::steady_clock::now()});
}

void Joblog::job_output(const JobEvent& e, Stream stream, std::string_view bytes)
{
  if (stream == Stream::out) {
    if (const auto it = m_attempts.find(e.id); it != m_attempts.end()) {
      it->second.received += bytes.size();
    }
  }
}

void Joblog::attempt_ended(const JobEvent& e, const Outcome&, Seconds)
{
  if (const auto it = m_attempts.find(e.id); it != m_attempts.end()) {
    it->second.runtime = std::chrono::steady_clock::now() - it->second.steady_start;
  }
}

void Joblog::job_finished(const JobEvent& e, const JobResult& result)
{
  Attempt attempt{};
  if (const auto it = m_attempts.find(e.id); it != m_attempts.end()) {
    attempt = it->second;
    m_attempts.erase(it);
  }
  const Outcome& outcome = result.outcome;
  // Send is 0: a job's stdin is /dev/null. Host is parallel's ":", this
  // machine. The command is one line, without a tab.
  write(std::to_string(e.id + 1) + "\t:\t" + epoch_text(attempt.start) + '\t' +
        runtime_text(attempt.runtime) + "\t0\t" + std::to_string(attempt.received) + '\t' +
        std::to_string(exit_value(outcome)) + '\t' + std::to_string(signal_value(outcome)) + '\t' +
        command_text(e.job) + '\n');
}

void Joblog::run_finished(const Report&)
{
  commit();
}

} // namespace fanout
