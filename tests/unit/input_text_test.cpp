// SPDX-License-Identifier: MIT
#include "inputs/input_text.hpp"
#include "inputs/shell_quote.hpp"
#include "inputs/template.hpp"
#include "shell_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

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

TEST(InputText, AppendShellQuotedWritesAValueForItsSpot)
{
  using Quote = ShellSpot::Quote;
  const std::string value = "a'b\"$c`d\\e}\nf";
  const auto written = [&](ShellSpot spot) {
    std::string out = "<";
    append_shell_quoted(out, value, spot);
    return out;
  };
  EXPECT_EQ(written({Quote::none}), '<' + shell_quoted(value));
  EXPECT_EQ(written({Quote::single}), "<a'\\''b\"$c`d\\e}\nf");
  EXPECT_EQ(written({Quote::dbl}), "<a'b\\\"\\$c\\`d\\\\e}\nf");
  EXPECT_EQ(written({Quote::parameter}), "<a'b\\\"\\$c\\`d\\\\e\\}\nf");
  EXPECT_EQ(written({Quote::comment}), "<a'b\"$c`d\\e} f");
  // In backquotes, then in backquotes in double quotes, which take `\"` too.
  EXPECT_EQ(written({Quote::single, 0, 1, 0}), "<a'\\\\''b\"\\$c\\`d\\\\e}\nf");
  EXPECT_EQ(written({Quote::single, 0, 2, 2}), "<a'\\\\\\\\''b\\\\\"\\\\\\$c\\\\\\`d\\\\\\\\e}\nf");
  EXPECT_EQ(written({Quote::none, 5, 0, 0}), '<' + shell_quoted(value));
}

// The spot of a value put in after `text`.
ShellSpot spot_after(std::string_view text)
{
  ShellReader reader;
  reader.read(text);
  return reader.put_value();
}

TEST(InputText, ShellReaderTellsTheQuoteAValueStandsIn)
{
  using Quote = ShellSpot::Quote;
  const std::pair<std::string_view, Quote> cases[] = {
    {"echo ", Quote::none},
    {"echo '", Quote::single},
    {"echo \"", Quote::dbl},
    {"echo 'a\"b", Quote::single},
    {"echo \"a'b", Quote::dbl},
    {"echo 'a' \"b\" ", Quote::none},
    {"echo \\'", Quote::none},
    {"echo \"\\\"", Quote::dbl},
    {"echo \"$(", Quote::none},
    {"echo \"$(a)", Quote::dbl},
    {"echo \"$(a ')' ", Quote::none},
    {"echo \"$((1+(2)", Quote::none},
    {"echo \"$( (a) ", Quote::none},
    {"echo \"$(\"", Quote::dbl},
    {"echo \"${x-", Quote::parameter},
    {"echo \"${x:=a'", Quote::parameter},
    {"echo \"${x#", Quote::none},
    {"echo \"${x%%'", Quote::single},
    {"echo \"${x-\"", Quote::dbl},
    {"echo \"${x}", Quote::dbl},
    {"echo \"${#x}", Quote::dbl},
    {"echo ${x-", Quote::none},
    {"echo ${x-'", Quote::single},
    {"echo ${x#}", Quote::none},
    {"echo # '", Quote::comment},
    {"# \"", Quote::comment},
    {"echo #\n", Quote::none},
    {"echo # a\n# ", Quote::comment},
    {"echo a# ", Quote::none},
    {"echo '#' # ", Quote::comment},
    {"echo $(# ) ", Quote::comment},
    {"echo \\\n# ", Quote::comment},
    {"echo \\# ", Quote::none},
    {"(a)# ", Quote::comment},
    {"$(a)# ", Quote::none},
    {"echo `# ` ", Quote::none},
    {"echo \"`a '", Quote::single},
    {"echo \"`a \\\"", Quote::dbl},
    {"echo '`'", Quote::none},
  };
  for (const auto& [text, quote] : cases) {
    EXPECT_EQ(spot_after(text).quote, quote) << text;
  }
}

TEST(InputText, ShellReaderCountsBackquotesAndBackslashes)
{
  const auto spot = [](std::string_view text) {
    const ShellSpot s = spot_after(text);
    return std::vector<std::size_t>{s.backslashes, s.backquotes, s.backquotes_in_double};
  };
  using Counts = std::vector<std::size_t>;
  EXPECT_EQ(spot("echo `a "), (Counts{0, 1, 0}));
  EXPECT_EQ(spot("echo \"`a "), (Counts{0, 1, 1}));
  EXPECT_EQ(spot("echo `a \\`b \"\\\\\\`c "), (Counts{0, 3, 4}));
  EXPECT_EQ(spot("echo `a` `b`"), (Counts{0, 0, 0}));
  EXPECT_EQ(spot("echo `a \\`b\\` "), (Counts{0, 1, 0}));
  EXPECT_EQ(spot("echo '`'"), (Counts{0, 0, 0}));
  EXPECT_EQ(spot("echo \\"), (Counts{1, 0, 0}));
  EXPECT_EQ(spot("echo \"\\"), (Counts{1, 0, 0}));
  EXPECT_EQ(spot("echo '\\"), (Counts{0, 0, 0}));
  EXPECT_EQ(spot("echo \\\\"), (Counts{0, 0, 0}));
  EXPECT_EQ(spot("echo `\\"), (Counts{3, 1, 0}));
  EXPECT_EQ(spot("echo `\\\\"), (Counts{2, 1, 0}));
}

TEST(InputText, ShellReaderReadsOnAfterAValue)
{
  ShellReader reader;
  reader.read("echo \"");
  reader.put_value();
  reader.read("\" ");
  EXPECT_EQ(reader.put_value().quote, ShellSpot::Quote::none);
  reader.read("#");
  EXPECT_EQ(reader.put_value().quote, ShellSpot::Quote::none);
  reader.read(" # ");
  EXPECT_EQ(reader.put_value().quote, ShellSpot::Quote::comment);
  reader.read("\n# ");
  EXPECT_EQ(reader.put_value().quote, ShellSpot::Quote::comment);
}

using test::k_hostile_values;

class ShellQuoting : public test::ShellTest {
protected:
  // What `printf '%s\0' <words>` in /bin/sh printed, or an error note.
  std::string printed(const std::string& words) const
  {
    return printed_by("printf '%s\\0' " + words);
  }
};

TEST_F(ShellQuoting, EachHostileValueReachesTheCommandAsItIs)
{
  for (const std::string& value : k_hostile_values) {
    EXPECT_EQ(printed(shell_quoted(value)), value + '\0') << "value \"" << value << '"';
    EXPECT_FALSE(pwned()) << "value \"" << value << '"';
  }
}

TEST_F(ShellQuoting, AllHostileValuesTogetherStayOneWordEach)
{
  std::string words;
  std::string expected;
  for (const std::string& value : k_hostile_values) {
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
  EXPECT_EQ(printed_by(command),
            "dir/$(touch pwned)\0it's `touch pwned`.x\0$(touch pwned)\0it's `touch pwned`\0"s);
  EXPECT_FALSE(pwned());
}

TEST_F(ShellQuoting, TheTestSeesAnUnquotedValueRun)
{
  test::run_shell(m_dir, "printf '%s\\0' $(touch pwned)");
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

// Each byte that belongs to no well-formed sequence is one U+FFFD; what is
// valid, controls and NUL included, stays as it is.
TEST(InputText, ValidUtf8ReplacesEachBadByte)
{
  const std::string bad = "\xef\xbf\xbd";
  EXPECT_EQ(valid_utf8("plain/\xc3\xa9 \xf0\x9f\x98\x80"), "plain/\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(valid_utf8(std::string("a\0\n\x7f", 4)), std::string("a\0\n\x7f", 4));
  EXPECT_EQ(valid_utf8("\xff\xfe"), bad + bad);
  EXPECT_EQ(valid_utf8("x\xc3"), "x" + bad);                        // cut short
  EXPECT_EQ(valid_utf8("\xc0\xaf"), bad + bad);                     // overlong '/'
  EXPECT_EQ(valid_utf8("\xed\xa0\x80!"), bad + bad + bad + "!");    // a surrogate
  EXPECT_EQ(valid_utf8("\xe2\x82z"), bad + bad + "z");              // cut by another character
  EXPECT_EQ(valid_utf8("\xf4\x90\x80\x80"), bad + bad + bad + bad); // past U+10FFFF
  EXPECT_EQ(valid_utf8(""), "");
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
