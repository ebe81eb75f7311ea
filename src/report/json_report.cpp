// SPDX-License-Identifier: MIT
#include "report/json_report.hpp"

#include "inputs/input_text.hpp"
#include "report/outcome_text.hpp"
#include "report/report.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace fanout {

namespace json = boost::json;

namespace {

// Which version of docs/report-json.md the file follows: raised when a
// field changes meaning or goes away, not when one is added.
constexpr int k_format_version = 1;

json::string text(std::string_view bytes)
{
  return json::string(valid_utf8(bytes));
}

json::array texts(const std::vector<std::string>& words)
{
  json::array array;
  array.reserve(words.size());
  for (const std::string& word : words) {
    array.emplace_back(text(word));
  }
  return array;
}

// Whole milliseconds: a report claims no more precision than that, and an
// integer reads the same in every JSON reader.
std::int64_t milliseconds(Seconds s)
{
  return std::llround(s.count() * 1000);
}

// "2026-12-06T11:28:12.345Z"
json::string iso_time(std::chrono::system_clock::time_point t)
{
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t whole = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&whole, &utc);
  char out[80];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return out;
}

json::object options_object(const Options& options)
{
  json::value timeout = nullptr;
  if (options.timeout) {
    timeout = milliseconds(*options.timeout);
  }
  const bool has_command = !options.command.empty();
  return {
    {"jobs", options.jobs},
    {"pool", options.pool == Pool::thread ? "thread" : "process"},
    {"timeout_ms", timeout},
    {"grace_ms", milliseconds(options.grace)},
    {"fail_fast", options.fail_fast},
    {"job_file", has_command ? json::value(nullptr) : json::value(text(options.file))},
    {"command", has_command ? json::value(texts(options.command)) : json::value(nullptr)},
    {"patterns", texts(options.patterns)},
  };
}

// What `job` runs, as three fields of which one is set: `cmd`, `argv`, or
// `function`; all three null without a job (one that never started).
void add_command(json::object& row, const JobSpec* job)
{
  row["cmd"] = job && !job->call && !job->cmd.empty() ? json::value(text(job->cmd)) : nullptr;
  row["argv"] = job && !job->call && job->cmd.empty() ? json::value(texts(job->argv)) : nullptr;
  json::value function = nullptr;
  if (job && job->call) {
    function = json::object{{"library", text(job->call->library)},
                            {"symbol", text(job->call->symbol)},
                            {"args", texts(job->call->args)}};
  }
  row["function"] = std::move(function);
}

// What a started job's row says beyond its result: where and when it ran.
struct Started {
  const JobSpec& job;
  JobId id;
  std::optional<std::chrono::system_clock::time_point> start;
  std::optional<std::string> log;
};

// A job's row; `started` is null for a job that never started.
json::object job_row(const JobResult& result, const Started* started)
{
  const Outcome& outcome = result.outcome;
  const bool coded = has_code(outcome);
  json::object row;
  row["name"] = text(result.name);
  row["index"] = started ? json::value(started->id + 1) : nullptr;
  add_command(row, started ? &started->job : nullptr);
  row["cwd"] = started ? json::value(text(started->job.cwd.str())) : nullptr;
  row["status"] = status_name(outcome.status);
  row["allowed_failure"] = is_allowed_failure(result);
  row["exit_code"] = coded && outcome.code >= 0 ? json::value(outcome.code) : nullptr;
  row["signal"] =
    coded && outcome.code < 0 ? json::value(text(signal_name(-outcome.code))) : nullptr;
  row["attempts"] = started ? result.attempts : 0u;
  row["start"] = started && started->start ? json::value(iso_time(*started->start)) : nullptr;
  row["duration_ms"] = started ? json::value(milliseconds(result.elapsed)) : nullptr;
  const std::string note = note_text(outcome);
  row["note"] = note.empty() ? json::value(nullptr) : json::value(text(note));
  row["log"] = started && started->log ? json::value(text(*started->log)) : nullptr;
  return row;
}

json::object counts_object(const Tally& tally)
{
  json::object counts;
  counts["jobs"] = tally.jobs;
  for (std::size_t status = 0; status < k_status_count; ++status) {
    counts[status_name(static_cast<Status>(status))] = tally.by_status[status];
  }
  counts["allowed_failures"] = tally.allowed_failures;
  return counts;
}

} // namespace

JsonReport::JsonReport(std::string path, const Options& options, LogPathOf log_path)
    : ReportFile(std::move(path)), m_log_path(std::move(log_path))
{
  write(R"({"version":)" + std::to_string(k_format_version) +
        R"(,"fanout_version":")" FANOUT_VERSION R"(","options":)" +
        json::serialize(options_object(options)) + R"(,"jobs":[)");
}

void JsonReport::job_started(const JobEvent& e)
{
  if (e.attempt == 1) {
    m_job_starts.insert_or_assign(e.id, WallClock::now());
  }
}

void JsonReport::job_finished(const JobEvent& e, const JobResult& result)
{
  Started started{e.job, e.id, std::nullopt, std::nullopt};
  if (const auto it = m_job_starts.find(e.id); it != m_job_starts.end()) {
    started.start = it->second;
    m_job_starts.erase(it);
  }
  if (m_log_path) {
    started.log = m_log_path(result.name, result.attempts);
  }
  write_row(json::serialize(job_row(result, &started)), result);
}

void JsonReport::job_done_earlier(std::string_view, const JobResult& result)
{
  write_row(json::serialize(job_row(result, nullptr)), result);
}

void JsonReport::run_finished(const Report& report)
{
  // The jobs that started have their rows; those that never did are listed
  // in the report, however many jobs the run had.
  for (const JobResult& result : report.results) {
    if (result.outcome.status == Status::skipped) {
      write_row(json::serialize(job_row(result, nullptr)), result);
    }
  }
  json::value interrupted_by = nullptr;
  if (report.interrupted_by != 0) {
    interrupted_by = text(signal_name(report.interrupted_by));
  }
  write_end(json::serialize(json::object{
    {"complete", true},
    {"start", iso_time(m_start)},
    {"duration_ms", milliseconds(report.elapsed)},
    {"exit_code", exit_code_for(report)},
    {"interrupted_by", interrupted_by},
    {"counts", counts_object(m_tally)},
  }));
  commit();
}

void JsonReport::write_incomplete_end(std::string_view)
{
  write_end(json::serialize(json::object{
    {"complete", false},
    {"start", iso_time(m_start)},
    {"duration_ms", milliseconds(std::chrono::steady_clock::now() - m_steady_start)},
    {"exit_code", nullptr},
    {"interrupted_by", nullptr},
    {"counts", counts_object(m_tally)},
  }));
}

void JsonReport::write_row(const std::string& row, const JobResult& result)
{
  write(m_tally.jobs == 0 ? "\n" : ",\n");
  write(row);
  m_tally.add(result);
}

void JsonReport::write_end(const std::string& run)
{
  write(m_tally.jobs == 0 ? R"(],"run":)" : "\n],\"run\":");
  write(run);
  write("}\n");
}

} // namespace fanout
