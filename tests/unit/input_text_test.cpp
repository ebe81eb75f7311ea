// SPDX-License-Identifier: MIT
#include "inputs/input_text.hpp"
#include "inputs/template.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdlib.h>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace fanout {
namespace {

using namespace std::string_literals;

TEST(InputText, ShellQuotedLeavesOnlySafeValuesAsTheyAre)
{
  EXPECT_EQ(shell_quoted("data/a-1_b.csv"), "data/a-1_b.csv");
  EXPECT_EQ(shell_quoted("-n"), "-n");
  EXPECT_EQ(shell_quoted("user@host:/x,y+z"), "user@host:/x,y+z");
  EXPECT_EQ(shell_quoted(""), "''");
  EXPECT_EQ(shell_quoted("a b"), "'a b'");
  EXPECT_EQ(shell_quoted("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quoted("'"), "''\\'''");
  EXPECT_EQ(shell_quoted("a=b"), "'a=b'");
  EXPECT_EQ(shell_quoted("~"), "'~'");
  EXPECT_EQ(shell_quoted("%1"), "'%1'");
  EXPECT_EQ(shell_quoted("if"), "'if'");
  EXPECT_EQ(shell_quoted("done"), "'done'");
  EXPECT_EQ(shell_quoted("\xc3\xa9"), "'\xc3\xa9'");
}

TEST(InputText, AppendShellQuotedAppends)
{
  std::string out = "echo ";
  append_shell_quoted(out, "$x");
  EXPECT_EQ(out, "echo '$x'");
}

// The values a hostile input list may hold; each tries to run `touch pwned`.
const std::vector<std::string> k_hostile = {
  "$(touch pwned)",
  "`touch pwned`",
  "; touch pwned",
  "&& touch pwned",
  "| touch pwned",
  "> pwned",
  "a'b",
  "'; touch pwned; '",
  "\"$(touch pwned)\"",
  "two words",
  "line\nbreak\n",
  "\ttab",
  "-n",
  "--help",
  "*",
  "?",
  "[a]",
  "~",
  "~root",
  "\\",
  "\\'",
  "a=b",
  "$HOME",
  "${HOME}",
  "#comment",
  "!",
  "{a,b}",
  "if",
  "\xff\xfe",
  "",
  " ",
  "'",
  "''",
  "\"",
  "%1",
  "(x)",
  "<pwned",
};

// Runs `command` with /bin/sh -c in `dir`, returning its stdout and exit status.
std::pair<std::string, int> run_shell(const std::filesystem::path& dir, const std::string& command)
{
  const std::string script = "cd " + shell_quoted(dir.string()) + " && " + command;
  FILE* pipe = ::popen(script.c_str(), "r");
  if (pipe == nullptr) {
    return {"", -1};
  }
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    out.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

class ShellQuoting : public ::testing::Test {
protected:
  void SetUp() override
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "quote_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }

  void TearDown() override
  {
    if (HasFailure()) {
      std::cerr << "kept " << m_dir << '\n';
    } else {
      std::filesystem::remove_all(m_dir);
    }
  }

  // What `printf '%s\0' <words>` in /bin/sh printed, or an error note.
  std::string printed(const std::string& words)
  {
    const auto [out, status] = run_shell(m_dir, "printf '%s\\0' " + words);
    return status == 0 ? out : "exit status " + std::to_string(status) + ": " + out;
  }

  bool pwned() const { return std::filesystem::exists(m_dir / "pwned"); }

  std::filesystem::path m_dir;
};

TEST_F(ShellQuoting, EachHostileValueReachesTheCommandAsItIs)
{
  for (const std::string& value : k_hostile) {
    EXPECT_EQ(printed(shell_quoted(value)), value + '\0') << "value \"" << value << '"';
    EXPECT_FALSE(pwned()) << "value \"" << value << '"';
  }
}

TEST_F(ShellQuoting, AllHostileValuesTogetherStayOneWordEach)
{
  std::string words;
  std::string expected;
  for (const std::string& value : k_hostile) {
    append_shell_quoted(words, value);
    words += ' ';
    expected += value + '\0';
  }
  EXPECT_EQ(printed(words), expected);
  EXPECT_FALSE(pwned());
}

TEST_F(ShellQuoting, TemplateValuesReachTheCommandAsTheyAre)
{
  const Template text("printf '%s\\0' {} {1/} {2.}", PlaceholderSet{2, {}});
  const std::string command =
    text.expand({{"dir/$(touch pwned)", "it's `touch pwned`.x"}, 1, 1}, Template::Quoting::shell);
  const auto [out, status] = run_shell(m_dir, command);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, "dir/$(touch pwned)\0it's `touch pwned`.x\0$(touch pwned)\0it's `touch pwned`\0"s);
  EXPECT_FALSE(pwned());
}

TEST_F(ShellQuoting, TheTestSeesAnUnquotedValueRun)
{
  run_shell(m_dir, "printf '%s\\0' $(touch pwned)");
  EXPECT_TRUE(pwned());
}

TEST(InputText, EscapedForDisplay)
{
  EXPECT_EQ(escaped_for_display("plain text/é ✓"), "plain text/é ✓");
  EXPECT_EQ(escaped_for_display("a\\b"), "a\\\\b");
  EXPECT_EQ(escaped_for_display("l1\nl2\r\tx"), "l1\\nl2\\r\\tx");
  EXPECT_EQ(escaped_for_display(std::string("\x1b[31m\x7f\0", 7)), "\\x1b[31m\\x7f\\x00");
  EXPECT_EQ(escaped_for_display("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escaped_for_display("\xc3"), "\\xc3");                   // cut short
  EXPECT_EQ(escaped_for_display("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(escaped_for_display("\xed\xa0\x80"), "\\xed\\xa0\\x80"); // a surrogate
  EXPECT_EQ(escaped_for_display("\xc2\x9b"), "\\xc2\\x9b");          // C1 CSI
  EXPECT_EQ(escaped_for_display("a\xe2\x80\xae"
                                "b"),
            "a\\xe2\\x80\\xaeb"); // right-to-left override
  EXPECT_EQ(escaped_for_display("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(escaped_for_display(""), "");
}

TEST(InputText, DisplayWidthCountsCodePoints)
{
  EXPECT_EQ(display_width(""), 0U);
  EXPECT_EQ(display_width("abc"), 3U);
  EXPECT_EQ(display_width("h\xc3\xa9llo \xf0\x9f\x98\x80"), 7U);
}

TEST(InputText, CutToWidthKeepsTheEnd)
{
  EXPECT_EQ(cut_to_width("data/file.csv", 13), "data/file.csv");
  EXPECT_EQ(cut_to_width("data/file.csv", 9), "\u2026file.csv");
  EXPECT_EQ(cut_to_width("d\xc3\xa9j\xc3\xa0/\xc3\xa9t\xc3\xa9", 4), "\u2026\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(cut_to_width("abc", 1), "\u2026");
  EXPECT_EQ(cut_to_width("abc", 0), "");
  EXPECT_EQ(cut_to_width("", 0), "");
}

TEST(InputText, NameLabelKeepsNameCharacters)
{
  EXPECT_EQ(name_label("data/a b.csv", 100), "data_a_b.csv");
  EXPECT_EQ(name_label("user@host:x+y-z_1", 100), "user@host:x+y-z_1");
  EXPECT_EQ(name_label("d\xc3\xa9j\xc3\xa0 \xf0\x9f\x98\x80!", 100), "d_j____");
  EXPECT_EQ(name_label("\xff\xfe\xc3", 100), "___");
  EXPECT_EQ(name_label("$(x)", 100), "__x_");
  EXPECT_EQ(name_label("abcdef", 3), "abc");
  EXPECT_EQ(name_label("\xc3\xa9\xc3\xa9xyz", 3), "__x");
  EXPECT_EQ(name_label("", 5), "");
}

} // namespace
} // namespace fanout
