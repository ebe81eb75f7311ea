// SPDX-License-Identifier: MIT
// A job file parsed one table at a time: where it is cut, and that its
// errors are those of the file parsed whole.
#include "jobfile/job_names.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/jobfile_sections.hpp"
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

using Kind = JobFileSection::Kind;
// A section as the tests compare it: its kind, first line and text.
using Cut = std::tuple<Kind, std::size_t, std::string>;

std::vector<Cut> cuts_of(std::string_view text)
{
  std::vector<Cut> cuts;
  JobFileSections(text).for_each([&](const JobFileSection& section) {
    cuts.emplace_back(section.kind, section.first_line, std::string(section.text_in(text)));
  });
  return cuts;
}

TEST(JobFileSections, CutsBeforeEachJobAndDefaultsWithTheirSubTables)
{
  const std::string text = "# CI\n\n[defaults]\ntimeout = 1\n[defaults.env]\nA = \"1\"\n\n"
                           "  [[job]]  # lint\ncmd = \"a\"\n[job.ready]\nlog = \"x\"\n"
                           "[[ job ]]\ncmd = \"b\"\n";
  const JobFileSections sections(text);
  EXPECT_EQ(std::make_tuple(sections.job_count(), sections.defaults()->first_line),
            std::make_tuple(2u, 1u));
  EXPECT_EQ(cuts_of(text),
            (std::vector<Cut>{
              {Kind::defaults, 1, "# CI\n\n[defaults]\ntimeout = 1\n[defaults.env]\nA = \"1\"\n\n"},
              {Kind::job, 8, "  [[job]]  # lint\ncmd = \"a\"\n[job.ready]\nlog = \"x\"\n"},
              {Kind::job, 12, "[[ job ]]\ncmd = \"b\"\n"}}));
}

TEST(JobFileSections, AHeaderInsideAStringACommentOrAnArrayIsText)
{
  const std::string text = "[[job]]\ncmd = \"\"\"\n[[job]]\n\\\"\"\"\n[[job]]\n\"\"\"\"\"\n"
                           "args = [\n[[\"job\"]],\n# [[job]]\n]\nenv = { A = '''\n[[job]]'''}\n"
                           "[[job]]\ncmd = 'a\\'\n[[job]]\ncmd = \"\\\\\"\n";
  EXPECT_EQ(cuts_of(text),
            (std::vector<Cut>{{Kind::job, 1,
                               "[[job]]\ncmd = \"\"\"\n[[job]]\n\\\"\"\"\n[[job]]\n\"\"\"\"\"\n"
                               "args = [\n[[\"job\"]],\n# [[job]]\n]\nenv = { A = '''\n"
                               "[[job]]'''}\n"},
                              {Kind::job, 13, "[[job]]\ncmd = 'a\\'\n"},
                              {Kind::job, 15, "[[job]]\ncmd = \"\\\\\"\n"}}));
}

TEST(JobFileSections, ByteOrderMarkAndCrlfLineEndings)
{
  const std::string text = "\xEF\xBB\xBF[[job]]\r\ncmd = 'x'\r\n\r\n[[job]]\r\ncmd = 'y'\r\n";
  EXPECT_EQ(cuts_of(text),
            (std::vector<Cut>{{Kind::job, 1, "\xEF\xBB\xBF[[job]]\r\ncmd = 'x'\r\n\r\n"},
                              {Kind::job, 4, "[[job]]\r\ncmd = 'y'\r\n"}}));
}

TEST(JobFileSections, AnythingButJobsAndOneDefaultsIsParsedWhole)
{
  const std::vector<std::string> texts = {
    "",
    "job = [{ cmd = 'x' }]\n",
    "defaults = { timeout = 1 }\n[[job]]\ncmd = 'x'\n",
    "[[job]]\ncmd = 'x'\n[settings]\n",
    "[job]\ncmd = 'x'\n",
    "[defaults]\n[[job]]\ncmd = 'x'\n[defaults]\n",
    "[defaults]\n[[job]]\ncmd = 'x'\n[defaults.env]\nA = '1'\n",
    "[defaults]\n[job.env]\n[[job]]\ncmd = 'x'\n",
    "[[\"job\"]]\ncmd = 'x'\n",
    "[[job]]\ncmd = 'x'\n[[job]\n",
    "[[job]]\ncmd = '\xC3\x28'\n[[job]]\ncmd = 'y'\n",
    "[[job]]\ncmd = '\xED\xA0\x80'\n",
  };
  std::vector<std::vector<Cut>> cuts;
  std::vector<std::vector<Cut>> expected;
  for (const std::string& text : texts) {
    cuts.push_back(cuts_of(text));
    expected.push_back({{Kind::whole, 1, text}});
  }
  EXPECT_EQ(cuts, expected);
}

TEST(JobfileInSections, HeaderInAMultiLineStringStaysInTheCommand)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"\"\"\n[[job]]\n\"\"\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cmd, "[[job]]\n");
}

TEST(JobfileInSections, NamesAndNeedsReachAcrossSections)
{
  const JobFile file = parse_jobfile("[[job]]\nname = \"a\"\ncmd = \"x\"\nneeds = [\"b\"]\n"
                                     "[[job]]\nname = \"b\"\ncmd = \"y\"\n",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(file.jobs[0].life().needs, std::vector<JobId>{1});
}

TEST(JobfileInSections, ErrorsOfLaterSectionsKeepTheirLines)
{
  EXPECT_EQ(std::make_tuple(error_for("[defaults]\ngrace = 1\n\n[[job]]\nname = \"a\"\ncmd = "
                                      "\"x\"\n\n[[job]]\nname = \"a\"\ncmd = \"y\"\n"),
                            error_for("[[job]]\ncmd = \"x\"\n[[job]]\ncmd = \"y\"\n"
                                      "needs = [\"job-1\", \"job-3\"]\n")),
            std::make_tuple("ci.toml:9:8: error: job \"a\": duplicate name (first used at line 5)\n"
                            "    9 | name = \"a\"\n"
                            "      |        ^",
                            "ci.toml:5:19: error: job \"job-2\": needs unknown job \"job-3\" (did "
                            "you mean \"job-1\"?)\n"
                            "    5 | needs = [\"job-1\", \"job-3\"]\n"
                            "      |                   ^"));
}

// Parsed whole, a file that is not TOML stops at its first TOML error,
// wherever it is: so it does in sections.
TEST(JobfileInSections, ATomlErrorComesBeforeAnyOtherProblem)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"\"\n\n[[job]]\ncmd = \"x\" y\n"),
            "ci.toml:5:11: error: Error while parsing key-value pair: expected a comment or "
            "whitespace, saw 'y'\n"
            "    5 | cmd = \"x\" y\n"
            "      |           ^");
}

// [defaults] is read first; a TOML error before it is still the first.
TEST(JobfileInSections, ATomlErrorBeforeTheDefaultsComesBeforeTheirs)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\" y\n[defaults]\ntimeout = \n"),
            "ci.toml:2:11: error: Error while parsing key-value pair: expected a comment or "
            "whitespace, saw 'y'\n"
            "    2 | cmd = \"x\" y\n"
            "      |           ^");
}

// toml++ looks two characters past a quote for `"""`: at the end of a
// section it must see what it sees in the file, not its end.
TEST(JobfileInSections, AQuoteAtTheEndOfASection)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = \"\n[[job]]\ncmd = \"y\"\n"),
            "ci.toml:3:12: error: Error while parsing string: unescaped control characters other "
            "than TAB (U+0009) are explicitly prohibited\n"
            "    3 | timeout = \"\n"
            "      |            ^");
}

// toml++ decodes 32 bytes at a time from the start of what it parses, and
// reports bad UTF-8 as it decodes: here, in the file, after the control
// byte before it, which a section starting at byte 18 would put in the
// same 32 bytes.
TEST(JobfileInSections, BadUtf8AfterAnotherError)
{
  const std::string line = "cmd = \"" + std::string(27, 'a') + "\x01" + "bbbbb\xFF\"";
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\n[[job]]\n" + line + "\n"),
            "ci.toml:4:35: error: Error while parsing string: unescaped control characters other "
            "than TAB (U+0009) are explicitly prohibited\n"
            "    4 | cmd = \"" +
              std::string(27, 'a') + "?bbbbb\xFF\"\n      |" + std::string(35, ' ') + "^");
}

TEST(JobNames, FindsEveryNameItTookAndNoOther)
{
  std::vector<JobSpec> jobs(1000);
  JobNames names(jobs);
  for (JobId id = 0; id < jobs.size(); ++id) {
    jobs[id].name = "job-" + std::to_string(id);
    names.add(id, id + 10);
  }
  std::vector<std::size_t> found;
  for (JobId id = 0; id < jobs.size(); ++id) {
    const std::optional<TakenName> taken = names.find(jobs[id].name);
    found.push_back(taken && taken->id == id ? taken->line - 10 : jobs.size());
  }
  std::vector<std::size_t> expected(jobs.size());
  std::iota(expected.begin(), expected.end(), std::size_t{0});
  EXPECT_EQ(std::make_tuple(found == expected, names.find("job-1000").has_value(),
                            names.find("").has_value()),
            std::make_tuple(true, false, false));
}

} // namespace
} // namespace fanout
