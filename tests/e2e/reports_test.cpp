// SPDX-License-Identifier: MIT
// End-to-end tests of the reports (fanout(1), --json and --joblog): every
// status, retries, members of groups, an interrupted run, a report that
// cannot be written, and hostile names and inputs. Times vary: the JSON's
// "start" and "duration_ms" and the joblog's Starttime and JobRuntime are
// checked for their form, then masked.

#include "harness.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <string>
#include <vector>

using e2e::Sandbox;

namespace {

namespace json = boost::json;

const std::string k_child = TEST_CHILD_BIN;

constexpr std::string_view k_header =
  "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

// The JSON report `name` of `box`, parsed: a test fails on a file that is
// not valid JSON (UTF-8 included).
json::object read_json(const Sandbox& box, std::string_view name)
{
  const std::string text = box.read_file(name);
  try {
    return json::parse(text).as_object();
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << " in:\n" << text;
    return {};
  }
}

// The jobs of `report`, each with "start" and "duration_ms" checked and
// masked as "T" and "D" (null for a job that never started).
std::vector<json::object> masked_jobs(const json::object& report)
{
  static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  std::vector<json::object> jobs;
  for (const json::value& job : report.at("jobs").as_array()) {
    json::object row = job.as_object();
    if (!row.at("start").is_null()) {
      EXPECT_TRUE(std::regex_match(row.at("start").as_string().c_str(), iso)) << row;
      EXPECT_GE(row.at("duration_ms").to_number<std::int64_t>(), 0) << row;
      row["start"] = "T";
      row["duration_ms"] = "D";
    }
    jobs.push_back(std::move(row));
  }
  return jobs;
}

// A row of a job that started, from the fields that vary between tests.
json::object started_row(std::string_view name, std::size_t index, json::array argv,
                         std::string_view status, json::value exit_code, json::value signal,
                         unsigned attempts = 1, json::value note = nullptr)
{
  return {{"name", name},
          {"index", index},
          {"cmd", nullptr},
          {"argv", std::move(argv)},
          {"function", nullptr},
          {"cwd", "."},
          {"status", status},
          {"allowed_failure", false},
          {"exit_code", std::move(exit_code)},
          {"signal", std::move(signal)},
          {"attempts", attempts},
          {"start", "T"},
          {"duration_ms", "D"},
          {"note", std::move(note)},
          {"log", nullptr}};
}

// The joblog `name` of `box`, each row's Starttime and JobRuntime checked
// and masked as "S" and "R".
std::string read_joblog(const Sandbox& box, std::string_view name)
{
  const std::string text = box.read_file(name);
  static const std::regex times(R"(^(\d+\t:\t)\d{10}\.\d{3}\t +\d+\.\d{3}\t)",
                                std::regex::multiline);
  const std::string masked = std::regex_replace(text, times, "$1S\tR\t");
  EXPECT_FALSE(std::regex_search(masked, std::regex(R"(^\d+\t:\t\d)", std::regex::multiline)))
    << text;
  return masked;
}

// One job per way to end, run one at a time in this order.
constexpr std::string_view k_every_status = R"(
[[job]]
name = "ok"
argv = ['@CHILD@', 'print', '2', 'out']

[[job]]
name = "failed"
argv = ['@CHILD@', 'exit', '3']

[[job]]
name = "slow"
argv = ['@CHILD@', 'sleep', '30000']
timeout = "200ms"

[[job]]
name = "killed"
argv = ['@CHILD@', 'signal', '9']

[[job]]
name = "missing"
argv = ['nosuchprog']

[[job]]
name = "after"
needs = ["failed"]
argv = ['@CHILD@']
)";

TEST(Reports, JsonHasEveryStatus)
{
  Sandbox box;
  box.write_jobs(k_every_status);

  const auto result = box.run({"-j", "1", "--json", "report.json"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json::object report = read_json(box, "report.json");
  EXPECT_EQ(masked_jobs(report),
            (std::vector<json::object>{
              started_row("ok", 1, {k_child, "print", "2", "out"}, "ok", 0, nullptr),
              started_row("failed", 2, {k_child, "exit", "3"}, "failed", 3, nullptr),
              started_row("slow", 3, {k_child, "sleep", "30000"}, "timeout", nullptr, "SIGTERM", 1,
                          "SIGTERM after 200ms"),
              started_row("killed", 4, {k_child, "signal", "9"}, "killed", nullptr, "SIGKILL", 1,
                          "SIGKILL"),
              started_row("missing", 5, {"nosuchprog"}, "error", 127, nullptr, 1,
                          "program not found: nosuchprog"),
              {{"name", "after"},
               {"index", nullptr},
               {"cmd", nullptr},
               {"argv", nullptr},
               {"function", nullptr},
               {"cwd", nullptr},
               {"status", "skipped"},
               {"allowed_failure", false},
               {"exit_code", nullptr},
               {"signal", nullptr},
               {"attempts", 0},
               {"start", nullptr},
               {"duration_ms", nullptr},
               {"note", "because failed failed"},
               {"log", nullptr}},
            }));
  const json::object& run = report.at("run").as_object();
  EXPECT_EQ(run.at("complete"), true);
  EXPECT_EQ(run.at("exit_code"), 1);
  EXPECT_EQ(run.at("interrupted_by"), nullptr);
  EXPECT_EQ(run.at("counts"), json::parse(R"({"jobs":6,"ok":1,"failed":1,"killed":1,"timeout":1,
                                               "error":1,"stopped":0,"cancelled":0,"skipped":1,
                                               "allowed_failures":0})"));
  EXPECT_EQ(report.at("options").at("job_file"), "fanout.toml");
  EXPECT_EQ(report.at("options").at("jobs"), 1);
}

TEST(Reports, JoblogHasParallelsColumnsForEveryStatus)
{
  Sandbox box;
  box.write_jobs(k_every_status);

  const auto result = box.run({"-j", "1", "--joblog", "jobs.log"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(read_joblog(box, "jobs.log"),
            std::string(k_header) + "1\t:\tS\tR\t0\t12\t0\t0\t" + k_child + " print 2 out\n" +
              "2\t:\tS\tR\t0\t0\t3\t0\t" + k_child + " exit 3\n" + "3\t:\tS\tR\t0\t0\t-1\t15\t" +
              k_child + " sleep 30000\n" + "4\t:\tS\tR\t0\t0\t0\t9\t" + k_child + " signal 9\n" +
              "5\t:\tS\tR\t0\t0\t127\t0\tnosuchprog\n");
}

// The job fails twice, then prints 3 lines and succeeds: one row, the last
// attempt's, with its 6 bytes; the JSON counts its attempts.
TEST(Reports, ARetriedJobHasOneRow)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "flaky"
retries = 2
retry_delay = "10ms"
cmd = "n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count; yes | head -n $n; test $n -ge 3"
)");

  const auto result = box.run({"--json", "report.json", "--joblog", "jobs.log"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<json::object> jobs = masked_jobs(read_json(box, "report.json"));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].at("status"), "ok");
  EXPECT_EQ(jobs[0].at("attempts"), 3);
  EXPECT_EQ(read_joblog(box, "jobs.log"),
            std::string(k_header) +
              "1\t:\tS\tR\t0\t6\t0\t0\tn=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); "
              "echo $n > count; yes | head -n $n; test $n -ge 3\n");
}

// Each member is a row of its own, with what it ran once its input was put
// in; Seq and index are its FANOUT_JOB_INDEX.
TEST(Reports, MembersOfAGroupAreRowsOfTheirOwn)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "each"
for_each = { values = ["a", "b c"] }
argv = ['@CHILD@', 'eprint', '{}']
)");

  const auto result = box.run({"-j", "1", "--json", "report.json", "--joblog", "jobs.log"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(masked_jobs(read_json(box, "report.json")),
            (std::vector<json::object>{
              started_row("each:1:a", 2, {k_child, "eprint", "a"}, "ok", 0, nullptr),
              started_row("each:2:b_c", 3, {k_child, "eprint", "b c"}, "ok", 0, nullptr)}));
  EXPECT_EQ(read_joblog(box, "jobs.log"), std::string(k_header) + "2\t:\tS\tR\t0\t0\t0\t0\t" +
                                            k_child + " eprint a\n" + "3\t:\tS\tR\t0\t0\t0\t0\t" +
                                            k_child + " eprint 'b c'\n");
}

TEST(Reports, JobsDoneInAnEarlierRunHaveRowsPastTheSummarysLimit)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "gz"
for_each = { range = [1, 150] }
cmd = "test {} != 7 || test -e again"
)");
  ASSERT_EQ(box.run({"-j", "2"}).exit_code, 1);
  box.write_file("again", "");

  const auto result =
    box.run({"-j", "2", "--resume", "--json", "report.json", "--junit", "junit.xml"});

  EXPECT_EQ(result.exit_code, 0);
  const json::object report = read_json(box, "report.json");
  const std::vector<json::object> jobs = masked_jobs(report);
  ASSERT_EQ(jobs.size(), 150u);
  std::size_t earlier = 0;
  for (const json::object& row : jobs) {
    if (row.at("name") == "gz:7:7") {
      EXPECT_EQ(row.at("attempts"), 1) << row;
      EXPECT_EQ(row.at("note"), nullptr) << row;
    } else {
      EXPECT_EQ(row.at("attempts"), 0) << row;
      EXPECT_EQ(row.at("start"), nullptr) << row;
      EXPECT_EQ(row.at("note"), "done in an earlier run") << row;
      ++earlier;
    }
    EXPECT_EQ(row.at("status"), "ok") << row;
  }
  EXPECT_EQ(earlier, 149u);
  EXPECT_EQ(report.at("run").at("counts").at("ok"), 150);
  // In JUnit they did not run this time: skipped, saying why.
  EXPECT_NE(box.read_file("junit.xml")
              .find("    <testcase name=\"gz:150:150\" classname=\"gz\" time=\"0.000\">\n"
                    "      <skipped message=\"done in an earlier run\"/>\n"
                    "    </testcase>\n"),
            std::string::npos);
  const auto junit = box.run_program(PYTHON3_BIN, {JUNIT_CHECK, "junit.xml"});
  EXPECT_EQ(junit.out, "tests=150 failures=0 errors=0 skipped=149\n");
  EXPECT_EQ(junit.exit_code, 0);
}

TEST(Reports, ACommandAfterDashesNamesItselfInTheOptions)
{
  Sandbox box;

  const auto result = box.run({"-j", "1", "--json", "report.json", "--joblog", "jobs.log", "--",
                               "sh", "-c", "exit $1", "sh", ":::", "0", "4"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json::object report = read_json(box, "report.json");
  EXPECT_EQ(report.at("options").at("command"), (json::array{"sh", "-c", "exit $1", "sh"}));
  EXPECT_EQ(report.at("options").at("job_file"), nullptr);
  EXPECT_EQ(masked_jobs(report),
            (std::vector<json::object>{
              started_row("sh:1:0", 2, {"sh", "-c", "exit $1", "sh", "0"}, "ok", 0, nullptr),
              started_row("sh:2:4", 3, {"sh", "-c", "exit $1", "sh", "4"}, "failed", 4, nullptr)}));
  EXPECT_EQ(read_joblog(box, "jobs.log"), std::string(k_header) +
                                            "2\t:\tS\tR\t0\t0\t0\t0\tsh -c 'exit $1' sh 0\n"
                                            "3\t:\tS\tR\t0\t0\t4\t0\tsh -c 'exit $1' sh 4\n");
}

// SIGINT while "a" runs: it is cancelled, "b" never starts, and both
// reports are there, the JSON saying the run was interrupted.
TEST(Reports, AnInterruptedRunStillWritesBoth)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
grace = "300ms"
argv = ['@CHILD@', 'print', '1', 'ready', 'sleep', '60000']

[[job]]
name = "b"
argv = ['@CHILD@']
)");
  auto fanout = box.start({"-j", "1", "--json", "report.json", "--joblog", "jobs.log"});
  ASSERT_TRUE(fanout.wait_for_line("a | ready 1"));

  fanout.send_signal(SIGINT);
  const auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130);
  const json::object report = read_json(box, "report.json");
  const json::object& run = report.at("run").as_object();
  EXPECT_EQ(run.at("complete"), true);
  EXPECT_EQ(run.at("interrupted_by"), "SIGINT");
  EXPECT_EQ(run.at("exit_code"), 130);
  const std::vector<json::object> jobs = masked_jobs(report);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].at("status"), "cancelled");
  EXPECT_EQ(jobs[0].at("signal"), "SIGTERM");
  EXPECT_EQ(jobs[1].at("status"), "skipped");
  EXPECT_EQ(jobs[1].at("note"), "run interrupted");
  EXPECT_EQ(read_joblog(box, "jobs.log"), std::string(k_header) + "1\t:\tS\tR\t0\t8\t-1\t15\t" +
                                            k_child + " print 1 ready sleep 60000\n");
}

// A report that cannot be written ends fanout before any job runs.
TEST(Reports, AnUnwritablePathIsAnErrorBeforeAnyJobRuns)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'mark', 'ran', 'a']
)");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
    {{"--json", "missing/report.json"}, "missing/report.json: No such file or directory"},
    {{"--joblog", "missing/jobs.log"}, "missing/jobs.log: No such file or directory"},
    {{"--json", "."}, ".: Is a directory"},
  };
  for (const auto& [args, error] : cases) {
    const auto result = box.run(args);

    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.err, "fanout: error: cannot write " + error + "\n");
    EXPECT_EQ(result.out, "");
  }
  EXPECT_FALSE(box.exists("ran"));
}

// The job removes the report's folder: the report cannot be renamed into
// it at the end, which fanout says, exiting 1 although every job is ok.
TEST(Reports, AReportLostAtTheEndMakesTheRunFail)
{
  Sandbox box;
  box.write_file("out/keep", "");
  box.write_jobs(R"(
[[job]]
name = "a"
cmd = "rm -r out"
)");

  const auto result = box.run({"-q", "--json", "out/report.json"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "fanout: error: cannot write out/report.json: No such file or directory\n");
  EXPECT_FALSE(box.exists("out"));
}

// Inputs with quotes, a tab, a newline and bytes that are not UTF-8: the
// JSON stays valid (U+FFFD per bad byte), each joblog row stays one line
// of nine columns, its command quoted for bash.
TEST(Reports, HostileInputsKeepBothReportsWellFormed)
{
  Sandbox box;

  const auto result =
    box.run({"-j", "1", "--json", "report.json", "--joblog", "jobs.log", "--", k_child, "eprint",
             ":::", "it's \"q\"", "a\tb", "new\nline", "\xff\xfe"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string bad = "\xef\xbf\xbd";
  const std::vector<json::object> jobs = masked_jobs(read_json(box, "report.json"));
  std::vector<json::value> last_args;
  std::vector<json::value> names;
  for (const json::object& job : jobs) {
    last_args.push_back(job.at("argv").as_array().back());
    names.push_back(job.at("name"));
  }
  EXPECT_EQ(last_args,
            (std::vector<json::value>{"it's \"q\"", "a\tb", "new\nline", json::string(bad + bad)}));
  EXPECT_EQ(names, (std::vector<json::value>{"test_child:1:it_s__q_", "test_child:2:a_b",
                                             "test_child:3:new_line", "test_child:4:__"}));
  EXPECT_EQ(read_joblog(box, "jobs.log"),
            std::string(k_header) + "2\t:\tS\tR\t0\t0\t0\t0\t" + k_child +
              " eprint 'it'\\''s \"q\"'\n" + "3\t:\tS\tR\t0\t0\t0\t0\t" + k_child +
              " eprint $'a\\tb'\n" + "4\t:\tS\tR\t0\t0\t0\t0\t" + k_child +
              " eprint $'new\\nline'\n" + "5\t:\tS\tR\t0\t0\t0\t0\t" + k_child +
              " eprint $'\\xff\\xfe'\n");
}

} // namespace
