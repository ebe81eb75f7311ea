// SPDX-License-Identifier: MIT
// Groups in the job file: `for_each` and `matrix`, their templates and names.
#include "jobfile/jobfile.hpp"
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

using Kind = InputSourceSpec::Kind;
using Origin = GroupSpec::Origin;
// A source as the tests compare it: kind, values, first, last, path,
// folder, separator, key.
using Source = std::tuple<Kind, std::vector<std::string>, long long, long long, std::string,
                          std::string, char, std::string>;
// A group: origin, sources, name template.
using Group = std::tuple<Origin, std::vector<Source>, std::string>;

std::optional<Group> group_of(const JobSpec& job)
{
  if (!job.group) {
    return std::nullopt;
  }
  std::vector<Source> sources;
  for (const InputSourceSpec& s : job.group->sources) {
    sources.emplace_back(s.kind, s.values, s.first, s.last, s.path, s.folder, s.separator, s.key);
  }
  return Group(job.group->origin, sources, job.group->name_template);
}

JobSpec only_job(std::string_view text, const std::string& path = "conf/ci.toml",
                 PathBase base = PathBase::jobfile_folder)
{
  JobFile file = parse_jobfile(text, path, base);
  EXPECT_EQ(file.jobs.size(), 1u);
  return file.jobs.at(0);
}

TEST(JobfileGroups, ForEachGlobIsMatchedFromTheGroupsCwd)
{
  const JobSpec job = only_job("[[job]]\nname = \"gz\"\nfor_each = { glob = \"data/**/*.csv\" }\n"
                               "argv = [\"gzip\", \"-9\", \"{}\"]\ncwd = \"work\"\n");
  EXPECT_EQ(
    std::make_tuple(job.name, job.argv, job.cwd.str(), group_of(job)),
    std::make_tuple("gz", std::vector<std::string>{"gzip", "-9", "{}"}, "conf/work",
                    std::optional<Group>(
                      Group{Origin::for_each,
                            {Source{Kind::glob, {}, 0, 0, "data/**/*.csv", "conf/work", '\n', ""}},
                            ""})));
}

// A cwd made from the input is not tidied ("{//}" would become "{/}"), and
// the pattern is matched from the job file's folder.
TEST(JobfileGroups, ACwdWithPlaceholdersStaysATemplate)
{
  const JobSpec job = only_job("[[job]]\nfor_each = { glob = \"*.csv\" }\ncmd = \"wc -l {/}\"\n"
                               "cwd = \"out/../{//}\"\n");
  const JobSpec absolute =
    only_job("[defaults]\ncwd = \"/srv/{}\"\n[[job]]\nfor_each = { values = [\"a\"] }\n"
             "cmd = \"x\"\n");
  EXPECT_EQ(
    std::make_tuple(job.cwd.str(), std::get<5>(std::get<1>(*group_of(job))[0]), absolute.cwd.str()),
    std::make_tuple("conf/out/../{//}", "conf", "/srv/{}"));
}

TEST(JobfileGroups, ForEachLinesIsResolvedAsALibraryAndDashIsStdin)
{
  const std::vector<std::string> texts = {"lines = \"../lists/in.txt\"", "lines = \"-\""};
  std::vector<std::string> paths;
  for (const std::string& text : texts) {
    for (const PathBase base : {PathBase::jobfile_folder, PathBase::current_folder}) {
      const JobSpec job =
        only_job("[[job]]\nfor_each = { " + text + " }\ncmd = \"x\"\n", "a/conf/ci.toml", base);
      paths.push_back(std::get<4>(std::get<1>(*group_of(job))[0]));
    }
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"a/lists/in.txt", "../lists/in.txt", "-", "-"}));
}

TEST(JobfileGroups, ForEachValuesAndRange)
{
  const JobFile file =
    parse_jobfile("[[job]]\nfor_each = { values = [\"a b\", 7, -1, \"\"] }\ncmd = \"x\"\n"
                  "[[job]]\nfor_each = { range = [10, -2] }\ncmd = \"x\"\n",
                  "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(
    std::make_tuple(group_of(file.jobs[0]), group_of(file.jobs[1])),
    std::make_tuple(std::optional<Group>(
                      Group{Origin::for_each,
                            {Source{Kind::values, {"a b", "7", "-1", ""}, 0, 0, "", "", '\n', ""}},
                            ""}),
                    std::optional<Group>(Group{
                      Origin::for_each, {Source{Kind::range, {}, 10, -2, "", "", '\n', ""}}, ""})));
}

TEST(JobfileGroups, MatrixKeysInFileOrder)
{
  const JobSpec job = only_job("[[job]]\nname = \"test\"\n"
                               "matrix = { py = [\"3.11\", \"3.12\"], os = [\"debian\", 9] }\n"
                               "cmd = \"run-tests --py {py} --os {os}\"\n");
  EXPECT_EQ(group_of(job), std::optional<Group>(Group{
                             Origin::matrix,
                             {Source{Kind::values, {"3.11", "3.12"}, 0, 0, "", "", '\n', "py"},
                              Source{Kind::values, {"debian", "9"}, 0, 0, "", "", '\n', "os"}},
                             ""}));
}

TEST(JobfileGroups, ANameWithPlaceholdersNamesTheGroupByWhatComesFirst)
{
  const JobFile file =
    parse_jobfile("[[job]]\nname = \"thumb-{/.}\"\nfor_each = { glob = \"*.png\" }\ncmd = \"x\"\n"
                  "[[job]]\nname = \"py:@+_.-{py}-{#}\"\nmatrix = { py = [1] }\ncmd = \"x\"\n"
                  "[[job]]\nneeds = [\"thumb\", \"py\"]\ncmd = \"x\"\n",
                  "ci.toml");
  ASSERT_EQ(file.jobs.size(), 3u);
  EXPECT_EQ(
    std::make_tuple(file.jobs[0].name, std::get<2>(*group_of(file.jobs[0])), file.jobs[1].name,
                    std::get<2>(*group_of(file.jobs[1])), file.jobs[2].life().needs),
    std::make_tuple("thumb", "thumb-{/.}", "py", "py:@+_.-{py}-{#}", std::vector<JobId>{0, 1}));
}

// Braces are the shell's or find's in a job that is no group.
TEST(JobfileGroups, ASingleJobHasNoTemplates)
{
  const JobSpec job = only_job("[[job]]\nname = \"clean\"\ncmd = \"find . -exec rm {} \\\\;\"\n"
                               "env = { A = \"{py}\" }\ncwd = \"{x}\"\n");
  EXPECT_EQ(std::make_tuple(job.cmd, job.cwd.str(), group_of(job)),
            std::make_tuple("find . -exec rm {} \\;", "conf/{x}", std::optional<Group>()));
}

// Each case: a job file and the message it gives.
using Case = std::pair<std::string, std::string>;

void expect_errors(const std::vector<Case>& cases)
{
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const auto& [text, message] : cases) {
    messages.push_back(error_for(text));
    expected.push_back(message);
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileGroupsErrors, ForEach)
{
  expect_errors({
    {"[[job]]\ncmd = \"x\"\nfor_each = \"*.csv\"\n",
     "ci.toml:3:12: error: job \"job-1\": for_each must be a table, not a string\n"
     "    3 | for_each = \"*.csv\"\n      |            ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { globs = \"*\" }\n",
     "ci.toml:3:14: error: job \"job-1\": for_each: unknown key \"globs\" (did you mean "
     "\"glob\"?)\n    3 | for_each = { globs = \"*\" }\n      |              ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = {}\n",
     "ci.toml:3:12: error: job \"job-1\": for_each sets none of glob, lines, values and range; "
     "set one\n    3 | for_each = {}\n      |            ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { lines = \"a\", glob = \"*\" }\n",
     "ci.toml:3:27: error: job \"job-1\": for_each.lines and for_each.glob are both set; keep "
     "one\n    3 | for_each = { lines = \"a\", glob = \"*\" }\n      |                           "
     "^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { glob = \"\" }\n",
     "ci.toml:3:21: error: job \"job-1\": for_each.glob is empty\n"
     "    3 | for_each = { glob = \"\" }\n      |                     ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { values = [] }\n",
     "ci.toml:3:23: error: job \"job-1\": for_each.values is empty\n"
     "    3 | for_each = { values = [] }\n      |                       ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { values = \"a b\" }\n",
     "ci.toml:3:23: error: job \"job-1\": for_each.values must be an array of strings or "
     "integers, not a string\n    3 | for_each = { values = \"a b\" }\n      |                     "
     "  ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { values = [\"a\", true] }\n",
     "ci.toml:3:29: error: job \"job-1\": for_each.values[1] must be a string or an integer, not "
     "a boolean\n    3 | for_each = { values = [\"a\", true] }\n      |                            "
     " ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { range = [1, 2, 3] }\n",
     "ci.toml:3:22: error: job \"job-1\": for_each.range holds 3 values; write [first, last]\n"
     "    3 | for_each = { range = [1, 2, 3] }\n      |                      ^"},
    {"[[job]]\ncmd = \"x\"\nfor_each = { range = [\"1\", 2] }\n",
     "ci.toml:3:23: error: job \"job-1\": for_each.range[0] must be an integer, not a string\n"
     "    3 | for_each = { range = [\"1\", 2] }\n      |                       ^"},
  });
}

TEST(JobfileGroupsErrors, Matrix)
{
  expect_errors({
    {"[[job]]\ncmd = \"x\"\nmatrix = [\"a\"]\n",
     "ci.toml:3:10: error: job \"job-1\": matrix must be a table, not an array\n"
     "    3 | matrix = [\"a\"]\n      |          ^"},
    {"[[job]]\ncmd = \"x\"\nmatrix = {}\n", "ci.toml:3:10: error: job \"job-1\": matrix is empty\n "
                                            "   3 | matrix = {}\n      |          ^"},
    {"[[job]]\ncmd = \"x\"\nmatrix = { py = [\"3\"], os = [] }\n",
     "ci.toml:3:29: error: job \"job-1\": matrix.os is empty\n"
     "    3 | matrix = { py = [\"3\"], os = [] }\n      |                             ^"},
    {"[[job]]\ncmd = \"x\"\nmatrix = { 9py = [\"3\"] }\n",
     "ci.toml:3:12: error: job \"job-1\": matrix key \"9py\" is not a placeholder name: use "
     "letters, digits and _, not starting with a digit\n"
     "    3 | matrix = { 9py = [\"3\"] }\n      |            ^"},
    {"[[job]]\ncmd = \"x\"\nmatrix = { n = [1, 2, \"1\"] }\n",
     "ci.toml:3:23: error: job \"job-1\": matrix.n[2] repeats \"1\" (matrix.n[0]): values name "
     "jobs, so they must differ\n    3 | matrix = { n = [1, 2, \"1\"] }\n      |                   "
     "    ^"},
    {"[[job]]\nmatrix = { n = [1] }\ncmd = \"x\"\nfor_each = { values = [1] }\n",
     "ci.toml:4:1: error: job \"job-1\": for_each and matrix are both set; keep one\n"
     "    4 | for_each = { values = [1] }\n      | ^"},
    {"[[job]]\ncmd = \"x\"\nmatrx = {}\n",
     "ci.toml:3:1: error: job \"job-1\": unknown key \"matrx\" (did you mean \"matrix\"?)\n"
     "    3 | matrx = {}\n      | ^"},
  });
}

TEST(JobfileGroupsErrors, AGroupIsNoDaemon)
{
  expect_errors({
    {"[[job]]\ncmd = \"x\"\ndaemon = true\nfor_each = { values = [1] }\n",
     "ci.toml:3:1: error: job \"job-1\": a group cannot be a daemon: for_each makes a job per "
     "input, a daemon is one service\n    3 | daemon = true\n      | ^"},
    {"[[job]]\ncmd = \"x\"\nmatrix = { n = [1] }\nready = { log = \"up\" }\n",
     "ci.toml:4:1: error: job \"job-1\": a group cannot have ready: matrix makes a job per "
     "combination, and ready is for a daemon\n    4 | ready = { log = \"up\" }\n      | ^"},
  });
}

// The caret is under the brace, also past escapes and in multi-line strings.
TEST(JobfileGroupsErrors, PlaceholderProblemsPointAtTheirBrace)
{
  const std::string group = "[[job]]\nmatrix = { py = [\"3\"] }\n";
  expect_errors({
    {group + "cmd = \"run \\t\\\"\\u00e9\\U0001F600 {pyy}\"\n",
     "ci.toml:3:33: error: job \"job-1\": cmd: unknown placeholder {pyy}; this group has {py}\n"
     "    3 | cmd = \"run \\t\\\"\\u00e9\\U0001F600 {pyy}\"\n"
     "      |                                 ^"},
    {group + "argv = ['x', 'a\\b {2}']\n",
     "ci.toml:3:19: error: job \"job-1\": argv[1]: unknown placeholder {2}; this group has {py}\n"
     "    3 | argv = ['x', 'a\\b {2}']\n      |                   ^"},
    {group + "call = \"x.so:f\"\nargs = [\"\u00e9{1}\"]\n",
     "ci.toml:4:11: error: job \"job-1\": args[0]: unknown placeholder {1}; this group has {py}\n"
     "    4 | args = [\"\u00e9{1}\"]\n      |           ^"},
    {group + "cmd = \"x\"\nenv = { A = \"{py}\", B = \"{os}\" }\n",
     "ci.toml:4:26: error: job \"job-1\": env.B: unknown placeholder {os}; this group has {py}\n"
     "    4 | env = { A = \"{py}\", B = \"{os}\" }\n      |                          ^"},
    {group + "cmd = \"\"\"\nrun \\\n   {py} \\u00e9\r\n  {os}\"\"\"\n",
     "ci.toml:6:3: error: job \"job-1\": cmd: unknown placeholder {os}; this group has {py}\n"
     "    6 |   {os}\"\"\"\n      |   ^"},
    {group + "cmd = '''\n\\\n{}{os}'''\n",
     "ci.toml:5:3: error: job \"job-1\": cmd: unknown placeholder {os}; this group has {py}\n"
     "    5 | {}{os}'''\n      |   ^"},
    {"[[job]]\nfor_each = { values = [1] }\ncwd = \"{2}\"\ncmd = \"x\"\n",
     "ci.toml:3:8: error: job \"job-1\": cwd: {2}: there is only 1 input source\n"
     "    3 | cwd = \"{2}\"\n      |        ^"},
    {"[[job]]\nname = \"x-{os}\"\nmatrix = { py = [\"3\"] }\ncmd = \"x\"\n",
     "ci.toml:2:11: error: job \"x\": name: unknown placeholder {os}; this group has {py}\n"
     "    2 | name = \"x-{os}\"\n      |           ^"},
    {"[defaults]\nenv = { A = \"{os}\" }\ncwd = \"{2}\"\n" + group + "cmd = \"x\"\ncwd = \".\"\n",
     "ci.toml:2:14: error: job \"job-1\": env.A (from [defaults]): unknown placeholder {os}; "
     "this group has {py}\n    2 | env = { A = \"{os}\" }\n      |              ^"},
    {"[defaults]\ncwd = \"w/{2}\"\n" + group + "cmd = \"x\"\n",
     "ci.toml:2:10: error: job \"job-1\": cwd (from [defaults]): unknown placeholder {2}; this "
     "group has {py}\n    2 | cwd = \"w/{2}\"\n      |          ^"},
  });
}

TEST(JobfileGroupsErrors, ANameWithPlaceholdersStartsWithTheGroupsName)
{
  const std::string group = "for_each = { values = [1] }\ncmd = \"x\"\n";
  expect_errors({
    {"[[job]]\nname = \"{/.}-thumb\"\n" + group,
     "ci.toml:2:8: error: job 1: name \"{/.}-thumb\": a name with placeholders starts with the "
     "group's name, as in \"thumb-{/.}\"\n    2 | name = \"{/.}-thumb\"\n      |        ^"},
    {"[[job]]\nname = \"a b-{}\"\n" + group,
     "ci.toml:2:8: error: job 1: name \"a b-{}\": a name with placeholders starts with the "
     "group's name, as in \"thumb-{/.}\"\n    2 | name = \"a b-{}\"\n      |        ^"},
    {"[[job]]\nname = \"a{b c}-{}\"\n" + group,
     "ci.toml:2:8: error: job \"a\": name \"a{b c}-{}\": a name with placeholders starts with the "
     "group's name, as in \"thumb-{/.}\"\n    2 | name = \"a{b c}-{}\"\n      |        ^"},
    {"[[job]]\nname = \"a${b}\"\n" + group,
     "ci.toml:2:8: error: job 1: name \"a${b}\": a name with placeholders starts with the "
     "group's name, as in \"thumb-{/.}\"\n    2 | name = \"a${b}\"\n      |        ^"},
    {"[[job]]\nname = \"a{b c}\"\n" + group,
     "ci.toml:2:8: error: job \"a\": name \"a{b c}\" is not valid: use 1 to 128 letters, digits "
     "and _ . - : + @\n    2 | name = \"a{b c}\"\n      |        ^"},
    {"[[job]]\nname = \"t-{}\"\ncmd = \"x\"\n",
     "ci.toml:2:8: error: job 1: name \"t-{}\" is not valid: use 1 to 128 letters, digits and _ "
     ". - : + @\n    2 | name = \"t-{}\"\n      |        ^"},
    {"[[job]]\nname = \"t\"\ncmd = \"x\"\n[[job]]\nname = \"t-{}\"\n" + group,
     "ci.toml:5:8: error: job \"t\": duplicate name (first used at line 2)\n"
     "    5 | name = \"t-{}\"\n      |        ^"},
  });
}

} // namespace
} // namespace fanout
