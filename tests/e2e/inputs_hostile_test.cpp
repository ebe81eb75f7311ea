// SPDX-License-Identifier: MIT
// End-to-end tests of fanout's core promise for inputs (fanout(1), INPUTS):
// a value is data, never code. A corpus of hostile values (command
// substitution, shell operators, quotes, blanks, newlines, a leading '-',
// glob and tilde characters, bytes that are not UTF-8, the empty value) is
// fed through every source and every form of command; each job writes the
// arguments it received to a file (test_child args), and the test compares
// them byte for byte and checks that no value ran (no "pwned" file).

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

// Values that a line of a file or stdin can hold: no '\n'.
const std::vector<std::string> k_line_values = {
  "$(touch pwned)",
  "`touch pwned`",
  "x; touch pwned",
  "x | touch pwned",
  "x && touch pwned",
  "x > pwned",
  "it's",
  "say \"hi\"",
  "'",
  "\"",
  "\"'$(touch pwned)'\"",
  "a b",
  "a\tb",
  "",
  "-n",
  "--help",
  "*",
  "~",
  "~/x",
  "back\\slash",
  "trailing\\",
  "$HOME",
  "{}",
  "\xff\xfe",
};

// Values that only ::: and -0 can carry.
const std::vector<std::string> k_newline_values = {
  "line\ntouch pwned",
  "\n",
};

std::vector<std::string> every_value()
{
  std::vector<std::string> values = k_line_values;
  values.insert(values.end(), k_newline_values.begin(), k_newline_values.end());
  return values;
}

std::string joined(const std::vector<std::string>& values, char end)
{
  std::string text;
  for (const std::string& value : values) {
    text += value;
    text += end;
  }
  return text;
}

// Where the values come from.
enum class Source { values, file, nul_file, stdin_lines, nul_stdin };

// One way of feeding the corpus to one command.
struct Feed {
  const char* name;
  std::vector<std::string> command; // after "--"; out-{#} names the job's file
  Source source;
};

void PrintTo(const Feed& feed, std::ostream* os)
{
  *os << feed.name;
}

std::string name_of(const testing::TestParamInfo<Feed>& info)
{
  return info.param.name;
}

const std::string k_child = TEST_CHILD_BIN;

const Feed k_feeds[] = {
  {"ArgvValues", {k_child, "args", "out-{#}", "{}"}, Source::values},
  {"ArgvFile", {k_child, "args", "out-{#}", "{}"}, Source::file},
  {"ArgvNulFile", {k_child, "args", "out-{#}", "{}"}, Source::nul_file},
  {"ArgvStdin", {k_child, "args", "out-{#}", "{}"}, Source::stdin_lines},
  {"ArgvNulStdin", {k_child, "args", "out-{#}", "{}"}, Source::nul_stdin},
  {"ArgvAppended", {k_child, "args", "out-{#}"}, Source::values},
  {"ShellBare", {k_child + " args out-{#} {}"}, Source::values},
  {"ShellBareNulStdin", {k_child + " args out-{#} {}"}, Source::nul_stdin},
  {"ShellBareFile", {k_child + " args out-{#} {}"}, Source::file},
  {"ShellAppended", {k_child + " args out-{#}"}, Source::values},
  {"ShellPrintf", {"printf '%s\\0' {} > out-{#}"}, Source::values},
  {"ShellSingleQuoted", {k_child + " args out-{#} '{}'"}, Source::values},
  {"ShellDoubleQuoted", {k_child + " args out-{#} \"{}\""}, Source::values},
  {"ShellDoubleQuotedPrintf", {"printf '%s\\0' \"{}\" > out-{#}"}, Source::values},
  {"ShellDoubleQuotedNulStdin", {k_child + " args out-{#} \"{}\""}, Source::nul_stdin},
};

bool carries_newlines(Source source)
{
  return source == Source::values || source == Source::nul_file || source == Source::nul_stdin;
}

// The files under `dir`, at any depth, whose name holds "pwned".
std::vector<std::string> pwned_files(const std::filesystem::path& dir)
{
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find("pwned") != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

class InputsHostile : public testing::TestWithParam<Feed> {};

} // namespace

TEST_P(InputsHostile, EveryValueReachesTheJobVerbatimAndNothingRuns)
{
  const Feed& feed = GetParam();
  const std::vector<std::string> values =
    carries_newlines(feed.source) ? every_value() : k_line_values;
  Sandbox box;
  std::vector<std::string> args{"--"};
  args.insert(args.end(), feed.command.begin(), feed.command.end());
  switch (feed.source) {
  case Source::values:
    box.write_file("in", "");
    args.emplace_back(":::");
    args.insert(args.end(), values.begin(), values.end());
    break;
  case Source::file:
    box.write_file("in", joined(values, '\n'));
    args.insert(args.end(), {"::::", "in"});
    break;
  case Source::nul_file:
    box.write_file("in", joined(values, '\0'));
    args.insert(args.begin(), "-0");
    args.insert(args.end(), {"::::", "in"});
    break;
  case Source::stdin_lines:
    box.write_file("in", joined(values, '\n'));
    break;
  case Source::nul_stdin:
    box.write_file("in", joined(values, '\0'));
    args.insert(args.begin(), "-0");
    break;
  }
  args.insert(args.begin(), "-q");

  auto result = box.run_with_stdin("in", args);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(box.read_file("out-" + std::to_string(i + 1)), values[i] + '\0') << "value " << i + 1;
  }
  EXPECT_FALSE(box.exists("out-" + std::to_string(values.size() + 1)));
  EXPECT_EQ(pwned_files(box.dir()), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Feeds, InputsHostile, testing::ValuesIn(k_feeds), name_of);

TEST(InputsHostileDisplay, TagsShowValuesEscapedAndSummaryRowsTheirSafeNames)
{
  Sandbox box;

  auto result = box.run({"-j", "1", "--", "sh", "-c", "echo hi; exit 3", "sh", ":::", "\xff\xfe",
                         "a\tb", "back\\slash", "l1\nl2", "$(touch pwned)", ""});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "\\xff\\xfe | hi\n"
                        "a\\tb | hi\n"
                        "back\\\\slash | hi\n"
                        "l1\\nl2 | hi\n"
                        "$(touch pwned) | hi\n"
                        " | hi\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 6 jobs in T: 6 failed\n"
                                    "  sh:1:__              failed      3   T\n"
                                    "  sh:2:a_b             failed      3   T\n"
                                    "  sh:3:back_slash      failed      3   T\n"
                                    "  sh:4:l1_l2           failed      3   T\n"
                                    "  sh:5:__touch_pwned_  failed      3   T\n"
                                    "  sh:6:                failed      3   T\n");
  EXPECT_EQ(pwned_files(box.dir()), std::vector<std::string>{});
}

TEST(InputsHostileDisplay, DryRunQuotesEveryValueAndRunsNothing)
{
  Sandbox box;

  auto result = box.run({"--dry-run", "--", "echo", ":::", "$(touch pwned)", "\xff\xfe", "a\nb",
                         "it's", "", "-n", "*"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "echo:1:__touch_pwned_: echo '$(touch pwned)'\n"
                        "echo:2:__: echo $'\\xff\\xfe'\n"
                        "echo:3:a_b: echo $'a\\nb'\n"
                        "echo:4:it_s: echo 'it'\\''s'\n"
                        "echo:5:: echo ''\n"
                        "echo:6:-n: echo -n\n"
                        "echo:7:_: echo '*'\n");
  EXPECT_EQ(pwned_files(box.dir()), std::vector<std::string>{});
}

TEST(InputsHostileDisplay, AVerboseRunNamesEachJobByItsSafeName)
{
  Sandbox box;

  auto result = box.run({"-v", "-q", "-j", "1", "--", "true", ":::", "\xff", "a;b"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(mask_times(result.err), "fanout: started true:1:_ (slot 1)\n"
                                    "fanout: finished true:1:_: ok 0 in T\n"
                                    "fanout: started true:2:a_b (slot 1)\n"
                                    "fanout: finished true:2:a_b: ok 0 in T\n");
}

// A job file's group reads its values from a file of lines and puts each
// one bare, in double and in single quotes of its cmd.
TEST(InputsHostileJobFile, AGroupKeepsValuesDataToo)
{
  Sandbox box;
  box.write_file("in", joined(k_line_values, '\n'));
  box.write_jobs(R"(
[[job]]
name = "each"
for_each = { lines = "in" }
cmd = """@CHILD@ args out-{#} {} "{}" '{}'"""
)");

  auto result = box.run({"-q"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (std::size_t i = 0; i < k_line_values.size(); ++i) {
    const std::string& value = k_line_values[i];
    EXPECT_EQ(box.read_file("out-" + std::to_string(i + 1)),
              value + '\0' + value + '\0' + value + '\0')
      << "value " << i + 1;
  }
  EXPECT_EQ(pwned_files(box.dir()), std::vector<std::string>{});
}
