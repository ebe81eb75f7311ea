// SPDX-License-Identifier: MIT
#include "fanout/report.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace fanout {

namespace {

constexpr std::size_t k_status_width = 9; // "cancelled"
constexpr std::size_t k_code_width = 4;   // "-15", "127"

// The header's counts, in the order of DESIGN §3's status table.
constexpr std::array<std::pair<Status, std::string_view>, 7> k_count_labels = {{
  {Status::ok, "ok"},
  {Status::failed, "failed"},
  {Status::killed, "killed"},
  {Status::timeout, "timed out"},
  {Status::error, "could not start"},
  {Status::cancelled, "cancelled"},
  {Status::skipped, "skipped"},
}};

std::string seconds_text(Seconds s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", s.count());
  return text;
}

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
  const std::size_t n = report.results.size();
  std::string line = "fanout: " + std::to_string(n) + (n == 1 ? " job in " : " jobs in ") +
                     seconds_text(report.elapsed) + ":";
  const char* separator = " ";
  for (const auto& [status, label] : k_count_labels) {
    const auto count = std::count_if(report.results.begin(), report.results.end(),
                                     [&](const JobResult& r) { return r.outcome.status == status; });
    if (count > 0) {
      line.append(separator).append(std::to_string(count)).append(" ").append(label);
      separator = ", ";
    }
  }
  return line + "\n";
}

} // namespace

std::string format_summary(const Report& report, SummaryRows rows)
{
  std::vector<const JobResult*> shown;
  for (const JobResult& result : report.results) {
    if (rows == SummaryRows::all || !succeeded(result.outcome)) {
      shown.push_back(&result);
    }
  }
  if (rows == SummaryRows::failures_only && shown.empty()) {
    return {};
  }
  std::size_t name_width = 0;
  std::size_t time_width = 0;
  std::vector<std::string> times;
  for (const JobResult* result : shown) {
    name_width = std::max(name_width, result->name.size());
    const bool started = result->outcome.status != Status::skipped;
    times.push_back(started ? seconds_text(result->elapsed) : "-");
    time_width = std::max(time_width, times.back().size());
  }
  std::string text = header(report);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const Outcome& outcome = shown[i]->outcome;
    text.append("  ");
    pad_right(text, shown[i]->name, name_width + 2);
    pad_right(text, status_name(outcome.status), k_status_width);
    const bool has_code = outcome.status != Status::skipped;
    pad_left(text, has_code ? std::to_string(outcome.code) : "-", k_code_width);
    text.append("   ");
    pad_left(text, times[i], time_width);
    if (!outcome.note.empty()) {
      text.append("  ").append(outcome.note);
    }
    text.push_back('\n');
  }
  return text;
}

int exit_code_for(const Report& report)
{
  if (report.interrupted_by != 0) {
    return 128 + report.interrupted_by;
  }
  const bool all_ok = std::all_of(report.results.begin(), report.results.end(),
                                  [](const JobResult& r) { return succeeded(r.outcome); });
  return all_ok ? 0 : 1;
}

} // namespace fanout
