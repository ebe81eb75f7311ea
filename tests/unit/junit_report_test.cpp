// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "report/junit_report.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace fanout {
namespace {

using namespace std::string_literals;
using std::chrono::seconds;

constexpr std::string_view k_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<testsuites>\n"
                                    "  <testsuite name=\"fanout\" timestamp=\"T\"";
constexpr std::string_view k_tail = "  </testsuite>\n</testsuites>\n";

JobSpec job(std::string name)
{
  JobSpec spec;
  spec.name = std::move(name);
  spec.argv = {"true"};
  return spec;
}

JobResult result(std::string name, Status status, int code, double elapsed, unsigned attempts = 1)
{
  return JobResult{std::move(name), Outcome(status, code), Seconds(elapsed), attempts};
}

// Events fed to a report directly, as a runner sends them, for the jobs
// "build", the group "gz" and "lint" of a job file.
class JunitReportTest : public fanout_test::TempFolderTest {
protected:
  void SetUp() override
  {
    TempFolderTest::SetUp();
    m_path = (m_dir / "junit.xml").string();
    JobSpec group = job("gz");
    group.group = std::make_shared<GroupSpec>();
    m_file.jobs = {job("build"), std::move(group), job("lint")};
  }

  JunitReport open() const { return JunitReport(m_path, m_file, {0, 1, 2}); }

  // One attempt of `spec` (its id `id`, a member of `group` unless empty)
  // that writes `out` to stdout and ends with `outcome`.
  static void attempt(JunitReport& report, JobId id, const JobSpec& spec, std::string_view group,
                      unsigned number, std::string_view out, const Outcome& outcome)
  {
    const JobEvent event{id, spec, number, 1, spec.name, group};
    report.job_started(event);
    report.job_output(event, Stream::out, out);
    report.job_output_closed(event, Stream::out);
    report.job_output_closed(event, Stream::err);
    report.attempt_ended(event, outcome, Seconds(0));
  }

  // A job of its own, run once to `end`, with `out` as its output.
  static void run_job(JunitReport& report, JobId id, const JobResult& end, std::string_view out)
  {
    const JobSpec spec = job(end.name);
    attempt(report, id, spec, {}, 1, out, end.outcome);
    report.job_finished({id, spec, 1, 1, spec.name}, end);
  }

  // The committed report, its timestamp as "T" and the room left after
  // the counts taken out.
  std::string report_text() const
  {
    std::ifstream in(m_path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string masked =
      std::regex_replace(text.str(), std::regex("timestamp=\"[^\"]*\""), "timestamp=\"T\"");
    return std::regex_replace(masked, std::regex("\" +>\n"), "\">\n");
  }

  // The testcase that `end` gives, with `out` as its output.
  std::string testcase_of(const JobResult& end, std::string_view out = {})
  {
    JunitReport report = open();
    run_job(report, 0, end, out);
    report.run_finished(Report{});
    const std::string text = report_text();
    const std::size_t start = text.find("    <testcase");
    return text.substr(start, text.size() - start - k_tail.size());
  }

  std::string m_path;
  JobFile m_file;
};

TEST_F(JunitReportTest, WritesATestcasePerJobAndTheCountsAtTheEnd)
{
  JunitReport report = open();
  run_job(report, 0, result("build", Status::ok, 0, 1.25), "compiling\n");
  const JobSpec member = job("gz:1:a");
  attempt(report, 3, member, "gz", 1, "out\n", Outcome(Status::failed, 2));
  report.job_finished({3, member, 1, 1, "gz a", "gz"}, result("gz:1:a", Status::failed, 2, 0.5));
  EXPECT_FALSE(std::filesystem::exists(m_path));

  Report end;
  end.results = {result("build", Status::ok, 0, 1.25), result("lint", Status::skipped, 0, 0)};
  end.results.back().outcome.cause = Cause(Cause::Kind::interrupt);
  end.elapsed = Seconds(2.5);
  report.run_finished(end);

  EXPECT_EQ(report.close(), std::nullopt);
  EXPECT_EQ(report_text(),
            std::string(k_head) +
              " tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"2.500\">\n"
              "    <testcase name=\"build\" classname=\"fanout\" time=\"1.250\"/>\n"
              "    <testcase name=\"gz:1:a\" classname=\"gz\" time=\"0.500\">\n"
              "      <failure message=\"failed, exit code 2\" type=\"failed\">out\n"
              "</failure>\n"
              "    </testcase>\n"
              "    <testcase name=\"lint\" classname=\"fanout\" time=\"0.000\">\n"
              "      <skipped message=\"run interrupted\"/>\n"
              "    </testcase>\n" +
              std::string(k_tail));
}

TEST_F(JunitReportTest, NamesTheStatusAndTheCodeOrSignalOfEachFailure)
{
  JobResult killed = result("k", Status::killed, -9, 1);
  JobResult timeout = result("t", Status::timeout, -15, 2);
  timeout.outcome.stop = Stop::term;
  timeout.outcome.timeout = seconds(2);
  JobResult error = result("e", Status::error, 127, 0);
  error.outcome.message = "program not found: nope";
  JobResult cancelled = result("c", Status::cancelled, -15, 1);
  cancelled.outcome.stop = Stop::term;
  cancelled.outcome.cause = Cause(Cause::Kind::interrupt);
  JobResult allowed = result("a", Status::failed, 1, 1);
  allowed.allowed = true;

  EXPECT_EQ(testcase_of(killed), "    <testcase name=\"k\" classname=\"fanout\" time=\"1.000\">\n"
                                 "      <failure message=\"killed, signal SIGKILL\" "
                                 "type=\"killed\"/>\n"
                                 "    </testcase>\n");
  EXPECT_EQ(testcase_of(timeout), "    <testcase name=\"t\" classname=\"fanout\" time=\"2.000\">\n"
                                  "      <failure message=\"timeout, signal SIGTERM: SIGTERM "
                                  "after 2s\" type=\"timeout\"/>\n"
                                  "    </testcase>\n");
  EXPECT_EQ(testcase_of(error), "    <testcase name=\"e\" classname=\"fanout\" time=\"0.000\">\n"
                                "      <error message=\"error, exit code 127: program not "
                                "found: nope\" type=\"error\"/>\n"
                                "    </testcase>\n");
  EXPECT_EQ(testcase_of(cancelled),
            "    <testcase name=\"c\" classname=\"fanout\" time=\"1.000\">\n"
            "      <failure message=\"cancelled, signal SIGTERM: SIGTERM on interrupt\" "
            "type=\"cancelled\"/>\n"
            "    </testcase>\n");
  EXPECT_EQ(testcase_of(allowed), "    <testcase name=\"a\" classname=\"fanout\" time=\"1.000\">\n"
                                  "      <failure message=\"failed (allowed), exit code 1\" "
                                  "type=\"failed\"/>\n"
                                  "    </testcase>\n");
  EXPECT_EQ(testcase_of(result("d", Status::stopped, -15, 3)),
            "    <testcase name=\"d\" classname=\"fanout\" time=\"3.000\"/>\n");
}

TEST_F(JunitReportTest, ShowsTheLastAttemptsOutputAndHowManyThereWere)
{
  JunitReport report = open();
  const JobSpec spec = job("flaky");
  attempt(report, 0, spec, {}, 1, "first\n", Outcome(Status::failed, 1));
  report.job_retrying({0, spec, 1, 1, "flaky"}, Outcome(Status::failed, 1), seconds(1), 2);
  attempt(report, 0, spec, {}, 2, "second\n", Outcome(Status::failed, 3));
  report.job_finished({0, spec, 2, 1, "flaky"}, result("flaky", Status::failed, 3, 4, 2));
  report.run_finished(Report{});

  EXPECT_EQ(report_text(),
            std::string(k_head) +
              " tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
              "    <testcase name=\"flaky\" classname=\"fanout\" time=\"4.000\">\n"
              "      <failure message=\"failed, exit code 3 (2 attempts)\" "
              "type=\"failed\">second\n"
              "</failure>\n"
              "    </testcase>\n" +
              std::string(k_tail));
}

TEST_F(JunitReportTest, KeepsOnlyTheEndOfALongOutput)
{
  std::string out;
  for (int i = 1; i <= 100; ++i) {
    out += "line " + std::to_string(i) + "\n";
  }
  std::string expected = "[60 earlier lines not shown]\n";
  for (int i = 61; i <= 100; ++i) {
    expected += "line " + std::to_string(i) + "\n";
  }

  EXPECT_EQ(testcase_of(result("long", Status::failed, 1, 1), out),
            "    <testcase name=\"long\" classname=\"fanout\" time=\"1.000\">\n"
            "      <failure message=\"failed, exit code 1\" type=\"failed\">" +
              expected +
              "</failure>\n"
              "    </testcase>\n");
}

TEST_F(JunitReportTest, EscapesHostileNamesMessagesAndOutput)
{
  JobResult hostile = result("a\x1b]]>\"'&<\xff", Status::error, 127, 0);
  hostile.outcome.message = "program not found: ]]>\x01\xc3\r\n";

  const std::string output = "<![CDATA[\x1b[31m]]>\r\x00\xfe\n"s;

  EXPECT_EQ(
    testcase_of(hostile, output),
    "    <testcase name=\"a\\x1b]]&gt;&quot;&apos;&amp;&lt;\\xff\" classname=\"fanout\" "
    "time=\"0.000\">\n"
    "      <error message=\"error, exit code 127: program not found: "
    "]]&gt;\\x01\\xc3&#13;&#10;\" type=\"error\">&lt;![CDATA[\\x1b[31m]]&gt;&#13;\\x00\\xfe\n"
    "</error>\n"
    "    </testcase>\n");
}

TEST_F(JunitReportTest, WritesAJobWhoseRetryNeverStarted)
{
  JunitReport report = open();
  const JobSpec spec = job("flaky");
  attempt(report, 0, spec, {}, 1, "first\n", Outcome(Status::failed, 1));
  report.job_retrying({0, spec, 1, 1, "flaky"}, Outcome(Status::failed, 1), seconds(1), 2);
  // The run stopped before its retry could start: its last attempt ends it.
  report.job_finished({0, spec, 1, 0, "flaky"}, result("flaky", Status::failed, 1, 0));
  report.run_finished(Report{});

  EXPECT_EQ(report_text(),
            std::string(k_head) +
              " tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
              "    <testcase name=\"flaky\" classname=\"fanout\" time=\"0.000\">\n"
              "      <failure message=\"failed, exit code 1\" type=\"failed\">first\n"
              "</failure>\n"
              "    </testcase>\n" +
              std::string(k_tail));
}

TEST_F(JunitReportTest, WritesTheRowsOfGroupsUnderTheirNames)
{
  JunitReport report = open();
  Report end;
  JobResult unreadable = result("gz", Status::error, 2, 0);
  unreadable.outcome.message = "no path matches \"*.log\"";
  end.results = {unreadable, result("gz:*", Status::skipped, 0, 0)};
  end.results.back().outcome.cause = Cause(Cause::Kind::interrupt);
  report.run_finished(end);

  EXPECT_EQ(report_text(),
            std::string(k_head) +
              " tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"1\" time=\"0.000\">\n"
              "    <testcase name=\"gz\" classname=\"gz\" time=\"0.000\">\n"
              "      <error message=\"error, exit code 2: no path matches &quot;*.log&quot;\" "
              "type=\"error\"/>\n"
              "    </testcase>\n"
              "    <testcase name=\"gz:*\" classname=\"gz\" time=\"0.000\">\n"
              "      <skipped message=\"run interrupted\"/>\n"
              "    </testcase>\n" +
              std::string(k_tail));
}

TEST_F(JunitReportTest, ARunEndedByAnErrorCommitsWhatItHasMarked)
{
  JunitReport report = open();
  run_job(report, 0, result("build", Status::ok, 0, 1), "");
  EXPECT_EQ(report.close("fanout: error: waitid: No child processes\n"), std::nullopt);
  EXPECT_EQ(report.close("again"), std::nullopt);

  const std::string text =
    std::regex_replace(report_text(), std::regex("time=\"[0-9.]+\""), "time=\"S\"");
  EXPECT_EQ(text, std::string(k_head) +
                    " tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"S\">\n"
                    "    <testcase name=\"build\" classname=\"fanout\" time=\"S\"/>\n"
                    "    <testcase name=\"run did not finish\" classname=\"fanout\" time=\"S\">\n"
                    "      <error message=\"fanout: error: waitid: No child processes\" "
                    "type=\"incomplete\"/>\n"
                    "    </testcase>\n" +
                    std::string(k_tail));
}

TEST_F(JunitReportTest, SaysWhyTheReportCouldNotBeWritten)
{
  const std::filesystem::path folder = m_dir / "gone";
  std::filesystem::create_directory(folder);
  m_path = (folder / "junit.xml").string();
  JunitReport report = open();
  std::filesystem::remove_all(folder);

  report.run_finished(Report{});

  EXPECT_EQ(report.close(), m_path + ": No such file or directory");
}

TEST_F(JunitReportTest, AFileThatCannotBeCreatedIsAnErrorNamingIt)
{
  m_path = (m_dir / "missing" / "junit.xml").string();
  try {
    open();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "fanout: error: cannot write " + m_path + ": No such file or directory");
  }
}

} // namespace
} // namespace fanout
