// SPDX-License-Identifier: MIT
// End-to-end tests of --junit FILE (fanout(1), --junit): a testcase per job
// with its status, the end of a failing job's output, the counts; written
// also when the run is interrupted; a path that cannot be written stops
// the run before any job. Every report is read back by a real XML parser
// and checked against tests/junit/junit.xsd (check_junit.py, Debian's
// python3-lxml). Times and the timestamp vary: they are masked.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

using e2e::Sandbox;

namespace {

using namespace std::string_literals;

constexpr std::string_view k_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<testsuites>\n"
                                    "  <testsuite name=\"fanout\" timestamp=\"D\"";
constexpr std::string_view k_tail = "  </testsuite>\n</testsuites>\n";

// The report `name` in `box`, its timestamp as "D", each time as "T", and
// the room after the counts taken out.
std::string report_in(const Sandbox& box, std::string_view name)
{
  std::string text = box.read_file(name);
  text = std::regex_replace(text, std::regex("timestamp=\"[-0-9T:]+\""), "timestamp=\"D\"");
  text = std::regex_replace(text, std::regex("time=\"[0-9]+\\.[0-9]{3}\""), "time=\"T\"");
  return std::regex_replace(text, std::regex("\" +>\n"), "\">\n");
}

// What check_junit.py says of the report `name` in `box`: its counts when
// it is valid.
e2e::Result check(const Sandbox& box, std::string_view name)
{
  return box.run_program(PYTHON3_BIN, {JUNIT_CHECK, std::string(name)});
}

} // namespace

TEST(Junit, ReportsEveryStatusARetryAndGroupMembers)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "ok"
argv = ['@CHILD@', 'print', '1', 'hello']

[[job]]
name = "failed"
argv = ['@CHILD@', 'print', '2', 'out', 'exit', '3']

[[job]]
name = "killed"
argv = ['@CHILD@', 'signal', '9']

[[job]]
name = "slow"
timeout = "500ms"
argv = ['@CHILD@', 'print', '1', 'waiting', 'sleep', '60000']

[[job]]
name = "missing"
argv = ['./no-such-program']

[[job]]
name = "after"
needs = ["failed"]
argv = ['@CHILD@']

[[job]]
name = "gz"
for_each = { values = [0, 4] }
argv = ['@CHILD@', 'exit', '{}']

[[job]]
name = "flaky"
retries = 1
retry_delay = "1ms"
argv = ['@CHILD@', 'env', 'FANOUT_ATTEMPT', 'exit', '1']
)");

  const auto result = box.run({"-j", "1", "--junit", "junit.xml"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(report_in(box, "junit.xml"),
            std::string(k_head) +
              " tests=\"9\" failures=\"5\" errors=\"1\" skipped=\"1\" time=\"T\">\n"
              "    <testcase name=\"ok\" classname=\"fanout\" time=\"T\"/>\n"
              "    <testcase name=\"failed\" classname=\"fanout\" time=\"T\">\n"
              "      <failure message=\"failed, exit code 3\" type=\"failed\">out 1\n"
              "out 2\n"
              "</failure>\n"
              "    </testcase>\n"
              "    <testcase name=\"killed\" classname=\"fanout\" time=\"T\">\n"
              "      <failure message=\"killed, signal SIGKILL\" type=\"killed\"/>\n"
              "    </testcase>\n"
              "    <testcase name=\"slow\" classname=\"fanout\" time=\"T\">\n"
              "      <failure message=\"timeout, signal SIGTERM: SIGTERM after 500ms\" "
              "type=\"timeout\">waiting 1\n"
              "</failure>\n"
              "    </testcase>\n"
              "    <testcase name=\"missing\" classname=\"fanout\" time=\"T\">\n"
              "      <error message=\"error, exit code 127: program not found: "
              "./no-such-program\" type=\"error\">fanout: program not found: ./no-such-program\n"
              "</error>\n"
              "    </testcase>\n"
              "    <testcase name=\"gz:1:0\" classname=\"gz\" time=\"T\"/>\n"
              "    <testcase name=\"gz:2:4\" classname=\"gz\" time=\"T\">\n"
              "      <failure message=\"failed, exit code 4\" type=\"failed\"/>\n"
              "    </testcase>\n"
              "    <testcase name=\"flaky\" classname=\"fanout\" time=\"T\">\n"
              "      <failure message=\"failed, exit code 1 (2 attempts)\" "
              "type=\"failed\">FANOUT_ATTEMPT=2\n"
              "</failure>\n"
              "    </testcase>\n"
              "    <testcase name=\"after\" classname=\"fanout\" time=\"T\">\n"
              "      <skipped message=\"because failed failed\"/>\n"
              "    </testcase>\n" +
              std::string(k_tail));
  const auto checked = check(box, "junit.xml");
  EXPECT_EQ(checked.err, "");
  EXPECT_EQ(checked.out, "tests=9 failures=5 errors=1 skipped=1\n");
  EXPECT_EQ(checked.exit_code, 0);
}

TEST(Junit, AnInterruptedRunIsWrittenWithItsCancelledAndSkippedJobs)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "running"
argv = ['@CHILD@', 'print', '1', 'ready', 'sleep', '60000']

[[job]]
name = "waiting"
argv = ['@CHILD@', 'mark', 'waiting.log', 'ran']
)");
  box.write_file("out/.keep", "");
  auto fanout = box.start({"-j", "1", "--junit", "out/junit.xml"});
  ASSERT_TRUE(fanout.wait_for_line("running | ready 1"));

  fanout.send_signal(SIGINT);
  const auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_FALSE(box.exists("waiting.log"));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(box.dir() / "out")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{".keep", "junit.xml"}));
  EXPECT_EQ(report_in(box, "out/junit.xml"),
            std::string(k_head) +
              " tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"T\">\n"
              "    <testcase name=\"running\" classname=\"fanout\" time=\"T\">\n"
              "      <failure message=\"cancelled, signal SIGTERM: SIGTERM on interrupt\" "
              "type=\"cancelled\">ready 1\n"
              "</failure>\n"
              "    </testcase>\n"
              "    <testcase name=\"waiting\" classname=\"fanout\" time=\"T\">\n"
              "      <skipped message=\"run interrupted\"/>\n"
              "    </testcase>\n" +
              std::string(k_tail));
  const auto checked = check(box, "out/junit.xml");
  EXPECT_EQ(checked.err, "");
  EXPECT_EQ(checked.out, "tests=2 failures=1 errors=0 skipped=1\n");
  EXPECT_EQ(checked.exit_code, 0);
}

TEST(Junit, APathThatCannotBeWrittenStopsTheRunBeforeAnyJob)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'mark', 'a.log', 'ran']
)");

  const auto result = box.run({"--junit", "missing/junit.xml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "fanout: error: cannot write missing/junit.xml: No such file or directory\n");
  EXPECT_FALSE(box.exists("a.log"));
  EXPECT_FALSE(box.exists("missing"));
}

TEST(Junit, HostileInputsAndOutputKeepTheReportWellFormed)
{
  Sandbox box;
  const std::vector<std::string> hostile = {
    "\x1b[31m]]>", "\"'&<>", "\xff\xfe", "cr\rlf", "\x01\x02\x7f", "\xed\xa0\x80\xef\xbf\xbf",
  };
  std::vector<std::string> args = {"-j",      "1",  "--junit", "junit.xml", "--", TEST_CHILD_BIN,
                                   "partial", "{}", "exit",    "1",         ":::"};
  args.insert(args.end(), hostile.begin(), hostile.end());

  const auto result = box.run(args);

  EXPECT_EQ(result.exit_code, 1);
  const std::string failure = "      <failure message=\"failed, exit code 1\" type=\"failed\">";
  EXPECT_EQ(
    report_in(box, "junit.xml"),
    std::string(k_head) +
      " tests=\"6\" failures=\"6\" errors=\"0\" skipped=\"0\" time=\"T\">\n"
      "    <testcase name=\"test_child:1:__31m___\" classname=\"test_child\" time=\"T\">\n" +
      failure + "\\x1b[31m]]&gt;\n</failure>\n    </testcase>\n" +
      "    <testcase name=\"test_child:2:_____\" classname=\"test_child\" time=\"T\">\n" + failure +
      "&quot;&apos;&amp;&lt;&gt;\n</failure>\n    </testcase>\n" +
      "    <testcase name=\"test_child:3:__\" classname=\"test_child\" time=\"T\">\n" + failure +
      "\\xff\\xfe\n</failure>\n    </testcase>\n" +
      "    <testcase name=\"test_child:4:cr_lf\" classname=\"test_child\" time=\"T\">\n" + failure +
      "cr&#13;lf\n</failure>\n    </testcase>\n" +
      "    <testcase name=\"test_child:5:___\" classname=\"test_child\" time=\"T\">\n" + failure +
      "\\x01\\x02\x7f\n</failure>\n    </testcase>\n" +
      "    <testcase name=\"test_child:6:____\" classname=\"test_child\" time=\"T\">\n" + failure +
      "\\xed\\xa0\\x80\\xef\\xbf\\xbf\n</failure>\n    </testcase>\n" + std::string(k_tail));
  const auto checked = check(box, "junit.xml");
  EXPECT_EQ(checked.err, "");
  EXPECT_EQ(checked.out, "tests=6 failures=6 errors=0 skipped=0\n");
  EXPECT_EQ(checked.exit_code, 0);
}

TEST(Junit, AHostileProgramNameKeepsTheReportWellFormed)
{
  Sandbox box;

  const auto result =
    box.run({"--junit", "junit.xml", "--", "./no\x1b]]>\"'&\xff\x01", "{}", ":::", "x"});

  EXPECT_EQ(result.exit_code, 1);
  const std::string shown = "./no\\x1b]]&gt;&quot;&apos;&amp;\\xff\\x01";
  EXPECT_EQ(report_in(box, "junit.xml"),
            std::string(k_head) +
              " tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"T\">\n"
              "    <testcase name=\"no_________:1:x\" classname=\"no_________\" time=\"T\">\n"
              "      <error message=\"error, exit code 127: program not found: " +
              shown + "\" type=\"error\">fanout: program not found: " + shown +
              "\n</error>\n"
              "    </testcase>\n" +
              std::string(k_tail));
  const auto checked = check(box, "junit.xml");
  EXPECT_EQ(checked.err, "");
  EXPECT_EQ(checked.out, "tests=1 failures=0 errors=1 skipped=0\n");
  EXPECT_EQ(checked.exit_code, 0);
}

// The check itself can fail: a document that is not well-formed, one the
// schema rejects, and one whose counts are wrong.
TEST(Junit, TheCheckRejectsBrokenReports)
{
  Sandbox box;
  box.write_file("control.xml", "<testsuite name=\"s\" tests=\"0\">\x01</testsuite>\n");
  box.write_file("unnamed.xml", "<testsuite name=\"s\" tests=\"1\">"
                                "<testcase classname=\"c\" time=\"0\"/></testsuite>\n");
  box.write_file("two.xml", "<testsuite name=\"s\" tests=\"1\" failures=\"1\">"
                            "<testcase name=\"n\" classname=\"c\" time=\"0\">"
                            "<failure/><skipped/></testcase></testsuite>\n");
  box.write_file("counts.xml", "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\">"
                               "<testcase name=\"n\" classname=\"c\" time=\"0.5\">"
                               "<failure message=\"m\"/></testcase></testsuite></testsuites>\n");

  for (const char* name : {"control.xml", "unnamed.xml", "two.xml", "counts.xml"}) {
    const auto checked = check(box, name);
    EXPECT_EQ(checked.exit_code, 1) << name;
    EXPECT_NE(checked.err, "") << name;
  }
}
