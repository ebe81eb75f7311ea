// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "report/json_report.hpp"
#include "temp_folder_test.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fanout {
namespace {

namespace json = boost::json;

JobSpec command_job(std::string name, std::string cmd, std::vector<std::string> argv = {})
{
  JobSpec job;
  job.name = std::move(name);
  job.cmd = std::move(cmd);
  job.argv = std::move(argv);
  job.cwd = "/work";
  return job;
}

JobResult result_of(std::string name, Status status, int code, double seconds,
                    unsigned attempts = 1)
{
  return JobResult{std::move(name), Outcome(status, code), Seconds(seconds), attempts};
}

// A job's row as the report writes it, from its JSON text, with its
// "start" (the clock's) as "T" once checked.
json::object row(std::string_view text)
{
  return json::parse(text).as_object();
}

class JsonReportTest : public fanout_test::TempFolderTest {
protected:
  std::string path() const { return (m_dir / "report.json").string(); }

  // The report written, parsed; the test fails if it is not valid JSON
  // (valid UTF-8 included).
  json::object written() const
  {
    std::ifstream in(path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    json::object report;
    try {
      report = json::parse(text.str()).as_object();
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << " in:\n" << text.str();
    }
    return report;
  }

  // The rows of the report, each "start" checked (ISO 8601, UTC, ms) and
  // masked as "T".
  std::vector<json::object> rows() const
  {
    std::vector<json::object> found;
    const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    const json::object report = written();
    for (const json::value& job : report.at("jobs").as_array()) {
      json::object copy = job.as_object();
      if (copy.at("start").is_string()) {
        EXPECT_TRUE(std::regex_match(copy.at("start").as_string().c_str(), iso)) << copy;
        copy["start"] = "T";
      }
      found.push_back(std::move(copy));
    }
    return found;
  }

  // Job `job`, as job `id`, started and finished with `result`.
  void run_job(JsonReport& report, const JobSpec& job, JobId id, const JobResult& result)
  {
    for (unsigned attempt = 1; attempt <= result.attempts; ++attempt) {
      report.job_started(JobEvent{id, job, attempt, 1, job.name});
    }
    report.job_finished(JobEvent{id, job, result.attempts, 1, job.name}, result);
  }

  Options m_options;
};

TEST_F(JsonReportTest, WritesARowPerJobWithWhatItRan)
{
  JsonReport report(path(), m_options);
  JobSpec call;
  call.name = "seed";
  call.call = std::make_shared<const CallSpec>(CallSpec{"lib/libseed.so", "worker", {"a", "b c"}});
  call.cwd = "/seed";
  run_job(report, command_job("lint", "ruff check ."), 0, result_of("lint", Status::ok, 0, 1.25));
  run_job(report, command_job("unit", "", {"pytest", "-x"}), 1,
          result_of("unit", Status::failed, 2, 0.5));
  run_job(report, call, 2, result_of("seed", Status::killed, -9, 0.0004));
  report.run_finished({});

  EXPECT_EQ(rows(), (std::vector<json::object>{
                      row(R"({"name":"lint","index":1,"cmd":"ruff check .","argv":null,
                          "function":null,"cwd":"/work","status":"ok","allowed_failure":false,
                          "exit_code":0,"signal":null,"attempts":1,"start":"T","duration_ms":1250,
                          "note":null,"log":null})"),
                      row(R"({"name":"unit","index":2,"cmd":null,"argv":["pytest","-x"],
                          "function":null,"cwd":"/work","status":"failed",
                          "allowed_failure":false,"exit_code":2,"signal":null,"attempts":1,
                          "start":"T","duration_ms":500,"note":null,"log":null})"),
                      row(R"({"name":"seed","index":3,"cmd":null,"argv":null,
                          "function":{"library":"lib/libseed.so","symbol":"worker",
                          "args":["a","b c"]},"cwd":"/seed","status":"killed",
                          "allowed_failure":false,"exit_code":null,"signal":"SIGKILL",
                          "attempts":1,"start":"T","duration_ms":0,"note":"SIGKILL",
                          "log":null})"),
                    }));
}

TEST_F(JsonReportTest, TellsEachOutcomeByStatusCodeAndSignal)
{
  JsonReport report(path(), m_options);
  const JobSpec job = command_job("j", "true");
  JobResult timeout = result_of("t", Status::timeout, -15, 2);
  timeout.outcome.stop = Stop::term;
  timeout.outcome.timeout = std::chrono::seconds(2);
  JobResult error = result_of("e", Status::error, 127, 0);
  error.outcome.message = "program not found: nope";
  JobResult allowed = result_of("a", Status::failed, 1, 0);
  allowed.allowed = true;
  JobResult abandoned = result_of("f", Status::timeout, 0, 4);
  abandoned.outcome.stop = Stop::abandoned;
  abandoned.outcome.timeout = std::chrono::seconds(3);
  abandoned.outcome.grace = std::chrono::seconds(1);
  for (const JobResult& result : {timeout, error, allowed, abandoned}) {
    run_job(report, job, 0, result);
  }
  report.run_finished({});

  std::vector<std::tuple<std::string, bool, json::value, json::value, json::value>> seen;
  for (const json::object& job_row : rows()) {
    seen.emplace_back(job_row.at("status").as_string().c_str(),
                      job_row.at("allowed_failure").as_bool(), job_row.at("exit_code"),
                      job_row.at("signal"), job_row.at("note"));
  }
  using Row = decltype(seen)::value_type;
  EXPECT_EQ(seen, (std::vector<Row>{
                    {"timeout", false, nullptr, "SIGTERM", "SIGTERM after 2s"},
                    {"error", false, 127, nullptr, "program not found: nope"},
                    {"failed", true, 1, nullptr, nullptr},
                    {"timeout", false, nullptr, nullptr,
                     "abandoned after 3s + 1s grace: a thread cannot be killed"},
                  }));
}

// A retried job has one row, with its attempts and its time from the start
// of its first attempt; the log is its last attempt's.
TEST_F(JsonReportTest, ARetriedJobHasOneRowWithTheLogOfItsLastAttempt)
{
  std::vector<std::pair<std::string, unsigned>> asked;
  JsonReport report(
    path(), m_options,
    [&asked](std::string_view name, unsigned attempt) -> std::optional<std::string> {
      asked.emplace_back(name, attempt);
      if (name == "flaky") {
        return "logs/flaky." + std::to_string(attempt) + ".log";
      }
      return std::nullopt;
    });
  run_job(report, command_job("flaky", "make"), 0, result_of("flaky", Status::ok, 0, 7.5, 3));
  run_job(report, command_job("quiet", "true"), 1, result_of("quiet", Status::ok, 0, 0));
  report.run_finished({});

  const std::vector<json::object> found = rows();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].at("attempts"), 3);
  EXPECT_EQ(found[0].at("duration_ms"), 7500);
  EXPECT_EQ(found[0].at("log"), "logs/flaky.3.log");
  EXPECT_EQ(found[1].at("log"), nullptr);
  EXPECT_EQ(asked, (std::vector<std::pair<std::string, unsigned>>{{"flaky", 3}, {"quiet", 1}}));
}

// The report's rows of started jobs are already written; its skipped rows
// are not, and come last.
TEST_F(JsonReportTest, JobsThatNeverStartedComeFromTheReport)
{
  JsonReport report(path(), m_options);
  const JobResult failed = result_of("build", Status::failed, 1, 1);
  run_job(report, command_job("build", "make"), 0, failed);
  JobResult skipped = result_of("test", Status::skipped, 0, 0);
  skipped.outcome.cause = Cause(Cause::Kind::dependency, "build", Status::failed);
  Report end;
  end.results = {failed, skipped};
  end.tally.add(failed);
  end.tally.add(skipped);
  end.tally.fails = true;
  report.run_finished(end);

  const std::vector<json::object> found = rows();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].at("name"), "build");
  EXPECT_EQ(found[1], row(R"({"name":"test","index":null,"cmd":null,"argv":null,
                             "function":null,"cwd":null,"status":"skipped",
                             "allowed_failure":false,"exit_code":null,"signal":null,
                             "attempts":0,"start":null,"duration_ms":null,
                             "note":"because build failed","log":null})"));
}

TEST_F(JsonReportTest, TheRunSaysHowItEndedAndWithWhichOptions)
{
  m_options.jobs = 4;
  m_options.pool = Pool::thread;
  m_options.timeout = std::chrono::milliseconds(1500);
  m_options.grace = std::chrono::seconds(2);
  m_options.fail_fast = true;
  m_options.command = {"gzip", "-9"};
  JsonReport report(path(), m_options);
  const JobResult cancelled = result_of("gzip:1:a", Status::cancelled, -15, 0.25);
  run_job(report, command_job("gzip:1:a", "", {"gzip", "-9", "a"}), 1, cancelled);
  Report end;
  end.elapsed = Seconds(0.5);
  end.interrupted_by = SIGINT;
  report.run_finished(end);

  json::object run = written().at("run").as_object();
  EXPECT_TRUE(std::regex_match(run.at("start").as_string().c_str(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  run["start"] = "T";
  EXPECT_EQ(run, row(R"({"complete":true,"start":"T","duration_ms":500,"exit_code":130,
                       "interrupted_by":"SIGINT","counts":{"jobs":1,"ok":0,"failed":0,
                       "killed":0,"timeout":0,"error":0,"stopped":0,"cancelled":1,"skipped":0,
                       "allowed_failures":0}})"));
  EXPECT_EQ(written().at("options"),
            json::parse(R"({"jobs":4,"pool":"thread","timeout_ms":1500,"grace_ms":2000,
                          "fail_fast":true,"job_file":null,"command":["gzip","-9"],
                          "patterns":[]})"));
  EXPECT_EQ(written().at("version"), 1);
}

TEST_F(JsonReportTest, AJobFileRunNamesItsFileAndPatterns)
{
  m_options.file = "ci/fanout.toml";
  m_options.patterns = {"test-*", "lint"};
  JsonReport report(path(), m_options);
  report.run_finished({});

  EXPECT_EQ(written().at("options"),
            json::parse(R"({"jobs":1,"pool":"process","timeout_ms":null,"grace_ms":5000,
                          "fail_fast":false,"job_file":"ci/fanout.toml","command":null,
                          "patterns":["test-*","lint"]})"));
  EXPECT_EQ(written().at("jobs"), json::array());
}

// An exception ended the run: what was written is committed, marked
// incomplete, and still valid JSON.
TEST_F(JsonReportTest, ClosedBeforeTheEndOfTheRunIsMarkedIncomplete)
{
  {
    JsonReport report(path(), m_options);
    run_job(report, command_job("a", "true"), 0, result_of("a", Status::ok, 0, 0));
    report.job_started(JobEvent{1, command_job("b", "sleep 9"), 1, 2, "b"});
    EXPECT_EQ(report.close(), std::nullopt);
  }
  const json::object run = written().at("run").as_object();
  EXPECT_EQ(run.at("complete"), false);
  EXPECT_EQ(run.at("exit_code"), nullptr);
  EXPECT_EQ(run.at("interrupted_by"), nullptr);
  EXPECT_EQ(run.at("counts").at("jobs"), 1);
  EXPECT_EQ(rows().size(), 1u);
}

TEST_F(JsonReportTest, BytesThatAreNotUtf8BecomeReplacementCharacters)
{
  JsonReport report(path(), m_options);
  const std::string name = "in\xff\xfeput\xc3";
  run_job(report, command_job(name, "", {"cat", "caf\xc3\xa9\n\x01\"\\"}), 0,
          result_of(name, Status::ok, 0, 0));
  report.run_finished({});

  const std::vector<json::object> found = rows();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("name"), "in\xef\xbf\xbd\xef\xbf\xbdput\xef\xbf\xbd");
  EXPECT_EQ(found[0].at("argv"), (json::array{"cat", "caf\xc3\xa9\n\x01\"\\"}));
}

TEST_F(JsonReportTest, AFolderOrAMissingFolderCannotBeAReport)
{
  EXPECT_THROW(JsonReport(m_dir.string(), m_options), Error);
  EXPECT_THROW(JsonReport((m_dir / "no" / "r.json").string(), m_options), Error);
  EXPECT_THROW(JsonReport("", m_options), Error);
}

} // namespace
} // namespace fanout
