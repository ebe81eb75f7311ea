// SPDX-License-Identifier: MIT
#include "report/junit_report.hpp"

#include "report/outcome_text.hpp"
#include "report/xml_text.hpp"

#include <cassert>
#include <cstdio>
#include <ctime>

namespace fanout {

namespace {

// The classname of the jobs that are no group's members.
constexpr std::string_view k_plain_classname = "fanout";

// Room in the testsuite's start tag for the counts and time, which are
// known only at the end: spaces, which XML allows before the tag's `>`,
// overwritten then. Four counts of up to 20 digits and a time of up to 31
// characters (time_text's bound) fit.
constexpr std::size_t k_counts_room = 168;

// The classname of a job of `group`, or of no group when it is empty.
std::string_view classname_of(std::string_view group)
{
  return group.empty() ? k_plain_classname : group;
}

// What a job's testcase holds besides its name and time.
enum class Verdict { passed, failure, error, skipped };

Verdict verdict_of(const Outcome& outcome)
{
  if (outcome.cause.kind == Cause::Kind::earlier_run) {
    return Verdict::skipped; // it did not run this time
  }
  switch (outcome.status) {
  case Status::ok:
  case Status::stopped: // a daemon fanout stopped once no job needed it
    return Verdict::passed;
  case Status::error:
    return Verdict::error;
  case Status::skipped:
    return Verdict::skipped;
  default:
    return Verdict::failure;
  }
}

// "1.250": seconds with three decimals, as JUnit reports give them; at
// most 31 characters.
std::string time_text(Seconds s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", s.count());
  return text;
}

// "2024-05-01T12:00:00": local time without a zone, as Ant's JUnit task
// writes the testsuite's timestamp.
std::string timestamp_text(std::chrono::system_clock::time_point when)
{
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
  return text;
}

// The status words and how the job ended: "failed, exit code 3",
// "killed, signal SIGKILL", "timeout, signal SIGTERM: SIGTERM after 1s
// (2 attempts)", "error, exit code 127: program not found: foo".
std::string failure_message(const JobResult& result)
{
  const Outcome& outcome = result.outcome;
  std::string text(status_name(outcome.status));
  if (is_allowed_failure(result)) {
    text += " (allowed)";
  }
  std::string signal;
  if (has_code(outcome) && outcome.code >= 0) {
    text += ", exit code " + std::to_string(outcome.code);
  } else if (has_code(outcome)) {
    signal = signal_name(-outcome.code);
    text += ", signal " + signal;
  }
  if (const std::string note = note_text(outcome); !note.empty() && note != signal) {
    text += ": " + note;
  }
  if (result.attempts > 1) {
    text += " (" + std::to_string(result.attempts) + " attempts)";
  }
  return text;
}

// Appends ` name="value"`, the value escaped.
void append_attribute(std::string& xml, std::string_view name, std::string_view value)
{
  xml.append(" ").append(name).append("=\"");
  append_xml(xml, value, XmlPlace::attribute);
  xml.push_back('"');
}

// The kept lines of `tail`, each ended by a newline, after a line saying
// how many earlier ones were dropped.
void append_tail(std::string& xml, const OutputTail& tail)
{
  if (tail.dropped() > 0) {
    xml.append("[").append(std::to_string(tail.dropped())).append(" earlier lines not shown]\n");
  }
  for (const OutputTail::Line& line : tail.lines()) {
    append_xml(xml, line.text, XmlPlace::text);
    xml.push_back('\n');
  }
}

} // namespace

struct JunitReport::Testcase {
  std::string_view name;
  std::string_view classname;
  Seconds time;
  Verdict verdict;
  std::string message;    // but for a job that passed: why not
  std::string_view type;  // failure and error: the status
  const OutputTail* tail; // failure and error: the end of the output, or none
};

JunitReport::JunitReport(std::string path, const JobFile& file, const std::vector<JobId>& selected)
    : ReportFile(std::move(path)), m_start(std::chrono::steady_clock::now())
{
  for (const JobId id : selected) {
    if (file.jobs[id].group) {
      m_groups.insert(file.jobs[id].name);
    }
  }
  std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite";
  append_attribute(header, "name", "fanout");
  append_attribute(header, "timestamp", timestamp_text(std::chrono::system_clock::now()));
  m_counts_at = header.size();
  header.append(k_counts_room, ' ').append(">\n");
  write(header);
}

void JunitReport::job_started(const JobEvent& event)
{
  m_running.insert_or_assign(
    event.id, Running{std::string(event.group), OutputTail(k_tail_lines, k_tail_bytes)});
}

void JunitReport::job_output(const JobEvent& event, Stream stream, std::string_view bytes)
{
  if (const auto it = m_running.find(event.id); it != m_running.end()) {
    it->second.tail.add(stream, bytes);
  }
}

void JunitReport::job_output_closed(const JobEvent& event, Stream stream)
{
  if (const auto it = m_running.find(event.id); it != m_running.end()) {
    it->second.tail.close(stream);
  }
}

void JunitReport::job_finished(const JobEvent& event, const JobResult& result)
{
  const auto it = m_running.find(event.id);
  write_testcase(result, classname_of(event.group),
                 it != m_running.end() ? &it->second.tail : nullptr);
  if (it != m_running.end()) {
    m_running.erase(it);
  }
}

void JunitReport::job_done_earlier(std::string_view group, const JobResult& result)
{
  write_testcase(result, classname_of(group), nullptr);
}

void JunitReport::run_finished(const Report& report)
{
  // The rows no job_finished brought: jobs that never started, and groups
  // that could not read their inputs or left some unread ("name:*").
  for (const JobResult& row : report.results) {
    const std::string_view classname = classname_of_row(row.name);
    if (row.outcome.status == Status::skipped || m_groups.contains(row.name)) {
      write_testcase(row, classname, nullptr);
    }
  }
  finish(report.elapsed, {});
}

void JunitReport::write_incomplete_end(std::string_view what)
{
  while (what.ends_with('\n')) {
    what.remove_suffix(1);
  }
  finish(std::chrono::steady_clock::now() - m_start, what.empty() ? "an error" : what);
}

void JunitReport::write_testcase(const JobResult& result, std::string_view classname,
                                 const OutputTail* tail)
{
  const Verdict verdict = verdict_of(result.outcome);
  const std::string message = verdict == Verdict::skipped  ? note_text(result.outcome)
                              : verdict == Verdict::passed ? std::string()
                                                           : failure_message(result);
  write_testcase({result.name, classname, result.elapsed, verdict, message,
                  status_name(result.outcome.status), tail});
}

void JunitReport::write_testcase(const Testcase& testcase)
{
  std::string xml = "    <testcase";
  append_attribute(xml, "name", testcase.name);
  append_attribute(xml, "classname", testcase.classname);
  append_attribute(xml, "time", time_text(testcase.time));
  ++m_tests;
  switch (testcase.verdict) {
  case Verdict::passed:
    write(xml.append("/>\n"));
    return;
  case Verdict::skipped:
    ++m_skipped;
    break;
  case Verdict::failure:
    ++m_failures;
    break;
  case Verdict::error:
    ++m_errors;
    break;
  }
  const std::string_view element = testcase.verdict == Verdict::skipped ? "skipped"
                                   : testcase.verdict == Verdict::error ? "error"
                                                                        : "failure";
  xml.append(">\n      <").append(element);
  append_attribute(xml, "message", testcase.message);
  if (testcase.verdict != Verdict::skipped) {
    append_attribute(xml, "type", testcase.type);
  }
  const OutputTail* tail = testcase.tail;
  if (tail == nullptr || (tail->lines().empty() && tail->dropped() == 0)) {
    xml.append("/>");
  } else {
    xml.append(">");
    append_tail(xml, *tail);
    xml.append("</").append(element).append(">");
  }
  write(xml.append("\n    </testcase>\n"));
}

void JunitReport::finish(Seconds elapsed, std::string_view incomplete)
{
  if (!incomplete.empty()) {
    write_testcase({"run did not finish", k_plain_classname, elapsed, Verdict::error,
                    std::string(incomplete), "incomplete", nullptr});
  }
  write("  </testsuite>\n</testsuites>\n");
  std::string counts;
  append_attribute(counts, "tests", std::to_string(m_tests));
  append_attribute(counts, "failures", std::to_string(m_failures));
  append_attribute(counts, "errors", std::to_string(m_errors));
  append_attribute(counts, "skipped", std::to_string(m_skipped));
  append_attribute(counts, "time", time_text(elapsed));
  assert(counts.size() <= k_counts_room);
  overwrite(m_counts_at, counts);
  commit();
}

std::string_view JunitReport::classname_of_row(std::string_view name) const
{
  constexpr std::string_view k_unread = ":*";
  if (m_groups.contains(std::string(name))) {
    return name;
  }
  if (name.ends_with(k_unread)) {
    const std::string_view group = name.substr(0, name.size() - k_unread.size());
    if (m_groups.contains(std::string(group))) {
      return group;
    }
  }
  return k_plain_classname;
}

} // namespace fanout
