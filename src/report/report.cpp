// SPDX-License-Identifier: MIT
#include "report/report.hpp"

#include "report/log_names.hpp"
#include "report/outcome_text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace fanout {

namespace {

constexpr std::size_t k_status_width = 9; // "cancelled"; wider for "failed (allowed)"
constexpr std::size_t k_code_width = 4;   // "-15", "127"

// The header's counts, in the order of the man page's status table.
constexpr std::array<std::pair<Status, std::string_view>, 8> k_count_labels = {{
  {Status::ok, "ok"},
  {Status::failed, "failed"},
  {Status::killed, "killed"},
  {Status::timeout, "timed out"},
  {Status::error, "could not start"},
  {Status::stopped, "stopped"},
  {Status::cancelled, "cancelled"},
  {Status::skipped, "skipped"},
}};

void pad_right(std::string& out, std::string_view text, std::size_t width)
{
  out.append(text);
  if (text.size() < width) {
    out.append(width - text.size(), ' ');
  }
}

void pad_left(std::string& out, std::string_view text, std::size_t width)
{
  if (text.size() < width) {
    out.append(width - text.size(), ' ');
  }
  out.append(text);
}

std::string header(const Report& report)
{
  const Tally& tally = report.tally;
  std::string line = "fanout: " + std::to_string(tally.jobs) +
                     (tally.jobs == 1 ? " job in " : " jobs in ") + seconds_text(report.elapsed);
  const char* separator = ": ";
  auto add = [&](std::string_view label, std::size_t count) {
    if (count > 0) {
      line.append(separator).append(std::to_string(count)).append(" ").append(label);
      separator = ", ";
    }
  };
  for (const auto& [status, label] : k_count_labels) {
    add(label, tally.by_status[static_cast<std::size_t>(status)]);
    if (status == Status::ok && tally.earlier > 0) {
      line.append(" (" + std::to_string(tally.earlier) + " done in an earlier run)");
    }
  }
  add("allowed to fail", tally.allowed_failures);
  return line + "\n";
}

// "failed (allowed)", "ok"
std::string status_text(const JobResult& result)
{
  std::string text(status_name(result.outcome.status));
  return is_allowed_failure(result) ? text + " (allowed)" : text;
}

// The note, with the attempts of a retried job: "after 3 attempts", or
// "SIGTERM after 1s (3 attempts)".
std::string result_note(const JobResult& result)
{
  const std::string note = note_text(result.outcome);
  if (result.attempts <= 1) {
    return note;
  }
  const std::string attempts = std::to_string(result.attempts) + " attempts";
  if (note.empty()) {
    return (succeeded(result.outcome) ? "after " : "") + attempts;
  }
  return note + " (" + attempts + ")";
}

} // namespace

std::string format_summary(const Report& report, SummaryRows rows, std::string_view log_dir)
{
  std::vector<const JobResult*> shown;
  for (const JobResult& result : report.results) {
    const bool expected = !fails_run(result) && !is_allowed_failure(result);
    if (rows == SummaryRows::all || !expected) {
      shown.push_back(&result);
    }
  }
  if (rows == SummaryRows::failures_only && shown.empty()) {
    return {};
  }
  std::size_t name_width = 0;
  std::size_t status_width = k_status_width;
  std::size_t time_width = 0;
  std::size_t log_width = 0;
  std::vector<std::string> times;
  std::vector<std::string> logs;
  for (const JobResult* result : shown) {
    name_width = std::max(name_width, result->name.size());
    status_width = std::max(status_width, status_text(*result).size());
    const bool started = result->outcome.status != Status::skipped &&
                         result->outcome.cause.kind != Cause::Kind::earlier_run;
    times.push_back(started ? seconds_text(result->elapsed) : "-");
    time_width = std::max(time_width, times.back().size());
    if (!log_dir.empty()) {
      logs.push_back(started ? log_file_name(result->name, result->attempts) : "-");
      log_width = std::max(log_width, logs.back().size());
    }
  }
  std::string text = header(report);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const Outcome& outcome = shown[i]->outcome;
    text.append("  ");
    pad_right(text, shown[i]->name, name_width + 2);
    pad_right(text, status_text(*shown[i]), status_width);
    pad_left(text, has_code(outcome) ? std::to_string(outcome.code) : "-", k_code_width);
    text.append("   ");
    pad_left(text, times[i], time_width);
    const std::string note = result_note(*shown[i]);
    if (!logs.empty()) {
      text.append("  ");
      pad_right(text, logs[i], note.empty() ? 0 : log_width);
    }
    if (!note.empty()) {
      text.append("  ").append(note);
    }
    text.push_back('\n');
  }
  if (report.unlisted > 0 && !shown.empty() && rows == SummaryRows::all) {
    text.append("  and ").append(std::to_string(report.unlisted)).append(" more that succeeded\n");
  }
  if (!log_dir.empty()) {
    text.append("  logs in ").append(log_dir).append("\n");
  }
  return text;
}

int exit_code_for(const Report& report)
{
  if (report.interrupted_by != 0) {
    return 128 + report.interrupted_by;
  }
  return report.tally.fails ? 1 : 0;
}

std::string seconds_text(Seconds s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", s.count());
  return text;
}

} // namespace fanout
