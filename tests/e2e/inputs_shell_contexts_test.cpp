// SPDX-License-Identifier: MIT
// End-to-end tests of a value put into a /bin/sh command in the less
// common places a placeholder can stand (fanout(1), INPUTS): next to
// quoted text, in a command substitution, a parameter default, backquotes,
// numbered placeholders in quotes, and a here-document. Wherever it
// stands, the value reaches the command as exactly its bytes and nothing
// in it runs (no "pwned" file).

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using e2e::Sandbox;

namespace {

const std::vector<std::string> k_values = {
  "it's", "$(touch pwned)", "`touch pwned`", "a\"b", "x\\", "x; touch pwned", "", "a\nb",
};

bool pwned(const Sandbox& box)
{
  for (const auto& entry : std::filesystem::recursive_directory_iterator(box.dir())) {
    if (entry.path().filename().string().find("pwned") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Runs the shell command `command` on every value of k_values, and expects
// that job N wrote `before + value N + after` to out-N.
void expect_each_value(const std::string& command, const std::string& before,
                       const std::string& after)
{
  Sandbox box;
  std::vector<std::string> args{"-q", "--", command, ":::"};
  args.insert(args.end(), k_values.begin(), k_values.end());

  auto result = box.run(args);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (std::size_t i = 0; i < k_values.size(); ++i) {
    EXPECT_EQ(box.read_file("out-" + std::to_string(i + 1)), before + k_values[i] + after)
      << "value " << i + 1;
  }
  EXPECT_FALSE(pwned(box));
}

} // namespace

TEST(InputsShellContexts, NextToQuotedText)
{
  expect_each_value("printf '%s\\0' \"a\"{}'b' > out-{#}", "a", std::string("b\0", 2));
}

TEST(InputsShellContexts, InsideACommandSubstitutionInDoubleQuotes)
{
  expect_each_value("printf '%s\\0' \"$(printf %s {})\" > out-{#}", "", std::string("\0", 1));
}

TEST(InputsShellContexts, AsAParameterDefaultInDoubleQuotes)
{
  expect_each_value("printf '%s\\0' \"${UNSET_IN_TEST:-{}}\" > out-{#}", "", std::string("\0", 1));
}

TEST(InputsShellContexts, InAnArgumentAfterAComment)
{
  expect_each_value("printf '%s\\0' {} > out-{#} # \"{}\" '{}'", "", std::string("\0", 1));
}

TEST(InputsShellContexts, NumberedPlaceholdersInBothQuotes)
{
  Sandbox box;
  std::vector<std::string> args{"-q", "--", "printf '%s\\0' \"{1}\" '{2}' {1/} > out-{#}", ":::"};
  args.insert(args.end(), k_values.begin(), k_values.end());
  args.insert(args.end(), {":::", "'\"$(touch pwned)\"'"});

  auto result = box.run(args);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (std::size_t i = 0; i < k_values.size(); ++i) {
    EXPECT_EQ(box.read_file("out-" + std::to_string(i + 1)),
              k_values[i] + '\0' + "'\"$(touch pwned)\"'" + '\0' + k_values[i] + '\0')
      << "value " << i + 1;
  }
  EXPECT_FALSE(pwned(box));
}

// A here-document's body is text, not words: the value must come out as
// its bytes, and the shell must not expand what it holds.
// No quoting keeps a value in a here-document's body from being expanded:
// such a command is refused before anything runs.
TEST(InputsShellContexts, InAHereDocumentIsRefused)
{
  Sandbox box;

  auto result = box.run({"--", "cat > out-{#} <<EOF\n{}\nEOF", ":::", "$(touch pwned)"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout: error: a value after a here-document (<<) cannot be quoted for "
                        "it; give it on stdin instead: printf '%s\\n' {} | ..., in \"cat > "
                        "out-{#} <<EOF\n{}\nEOF\"\n");
  EXPECT_FALSE(pwned(box));
}

// A value holding the here-document's end marker on a line of its own
// must not end the document early: what follows it would run.
TEST(InputsShellContexts, AValueCannotEndAHereDocument)
{
  Sandbox box;

  auto result =
    box.run({"-q", "--", "cat > out-{#} <<'EOF'\n{}\nEOF", ":::", "a\nEOF\ntouch pwned #"});

  EXPECT_FALSE(pwned(box)) << result.err;
}
