// SPDX-License-Identifier: MIT
#include "report/failure_replay.hpp"

#include "output/line_tagger.hpp"
#include "output/tag.hpp"
#include "report/outcome_text.hpp"

#include <algorithm>

namespace fanout {

namespace {

// A tail's bytes: about this much per line, so a few long lines do not
// push out the rest, and at most k_max_tail_bytes however many lines are
// asked for: -j tails are held at once.
constexpr std::size_t k_line_bytes = 1024;
constexpr std::size_t k_max_tail_bytes = 256 * 1024;

// A job that failed by itself, the cause of its own end. Cancelled and
// skipped jobs were ended or never started because of another (or of an
// interrupt); a stopped daemon ended as it should.
bool is_cause(const JobResult& result)
{
  const Status status = result.outcome.status;
  return fails_run(result) && status != Status::cancelled && status != Status::skipped;
}

std::string count_of_lines(std::size_t count)
{
  return std::to_string(count) + (count == 1 ? " line" : " lines");
}

// "fanout: lint failed, output (3 lines):", "... (last 20 of 312 lines):",
// "fanout: lint failed, no output".
std::string header_of(const JobResult& result, const OutputTail& tail)
{
  std::string line = "fanout: " + cause_text(result.name, result.outcome.status);
  const std::size_t kept = tail.lines().size();
  if (kept == 0) {
    return line + ", no output\n";
  }
  if (tail.dropped() == 0) {
    return line + ", output (" + count_of_lines(kept) + "):\n";
  }
  return line + ", output (last " + std::to_string(kept) + " of " +
         count_of_lines(kept + tail.dropped()) + "):\n";
}

} // namespace

FailureReplay::FailureReplay(std::size_t lines, std::size_t width, bool color)
    : m_lines(lines), m_width(width), m_color(color)
{
}

void FailureReplay::job_started(const JobEvent& e)
{
  if (m_lines > 0) {
    m_running.insert_or_assign(
      e.id, OutputTail(m_lines, std::min(m_lines * k_line_bytes, k_max_tail_bytes)));
  }
}

void FailureReplay::job_output(const JobEvent& e, Stream stream, std::string_view bytes)
{
  if (const auto tail = m_running.find(e.id); tail != m_running.end()) {
    tail->second.add(stream, bytes);
  }
}

void FailureReplay::job_output_closed(const JobEvent& e, Stream stream)
{
  if (const auto tail = m_running.find(e.id); tail != m_running.end()) {
    tail->second.close(stream);
  }
}

void FailureReplay::job_retrying(const JobEvent& e, const Outcome&, Duration, unsigned)
{
  // Only the last attempt is replayed: no tail waits with the retry.
  m_running.erase(e.id);
}

void FailureReplay::job_finished(const JobEvent& e, const JobResult& result)
{
  const auto running = m_running.find(e.id);
  if (running == m_running.end()) {
    return;
  }
  if (is_cause(result)) {
    if (m_replayed.size() < k_max_jobs) {
      OutputTail& tail = running->second;
      // A stream that was not seen to its end still has its last line.
      tail.close(Stream::out);
      tail.close(Stream::err);
      m_replayed.push_back(
        {e.id, tag_of(e.label, e.attempt), header_of(result, tail), std::move(tail)});
    } else {
      ++m_unshown;
    }
  }
  m_running.erase(running);
}

std::string FailureReplay::text() const
{
  std::string text;
  for (const Replayed& job : m_replayed) {
    text.append(job.header);
    const std::string prefix = line_prefix(job.tag, m_width, job.id, m_color);
    for (const OutputTail::Line& line : job.tail.lines()) {
      text.append(prefix).append(line.text).push_back('\n');
    }
  }
  if (m_unshown > 0) {
    text.append("fanout: " + std::to_string(m_unshown) +
                (m_unshown == 1 ? " more job" : " more jobs") + " failed; only the first " +
                std::to_string(k_max_jobs) + " are replayed\n");
  }
  return text;
}

} // namespace fanout
