// SPDX-License-Identifier: MIT
#include "inputs/template.hpp"
#include "shell_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace fanout {
namespace {

using namespace std::string_literals;

constexpr auto k_none = Template::Quoting::none;
constexpr auto k_shell = Template::Quoting::shell;

const PlaceholderSet k_one{1, {}};
const PlaceholderSet k_two{2, {}};
const PlaceholderSet k_matrix{2, {"py", "os"}};

class TemplateInShell : public test::ShellTest {};

std::string expand(std::string_view text, const PlaceholderSet& placeholders,
                   std::vector<std::string> values, Template::Quoting quoting = k_none)
{
  return Template(text, placeholders).expand({std::move(values), 1, 1}, quoting);
}

// A value and what GNU parallel 20221122 made of it with {} {.} {/} {//} {/.}
// (`parallel -0 -q printf ...`), written down once.
struct Row {
  std::string input, whole, stem, basename, dirname, basename_stem;
};

const Row k_parallel_table[] = {
  {"a", "a", "a", "a", ".", "a"},
  {"a.b", "a.b", "a", "a.b", ".", "a"},
  {"x.tar.gz", "x.tar.gz", "x.tar", "x.tar.gz", ".", "x.tar"},
  {".bashrc", ".bashrc", "", ".bashrc", ".", ""},
  {"a/.b", "a/.b", "a/", ".b", "a", ""},
  {"a/b.c/d", "a/b.c/d", "a/b.c/d", "d", "a/b.c", "d"},
  {"dir/", "dir/", "dir/", "", ".", ""},
  {"./x", "./x", "./x", "x", ".", "x"},
  {"/", "/", "/", "", "/", ""},
  {"/x", "/x", "/x", "x", "/", "x"},
  {"/x/y.z", "/x/y.z", "/x/y", "y.z", "/x", "y"},
  {"a//b", "a//b", "a//b", "b", "a", "b"},
  {"a.", "a.", "a", "a.", ".", "a"},
  {"..", "..", ".", "..", ".", "."},
  {".", ".", "", ".", ".", ""},
  {"a/b/", "a/b/", "a/b/", "", "a", ""},
  {"//", "//", "//", "", "/", ""},
  {"a///", "a///", "a///", "", ".", ""},
  {"//x", "//x", "//x", "x", "/", "x"},
  {"x/./y", "x/./y", "x/./y", "y", "x/.", "y"},
  {"../x.y", "../x.y", "../x", "x.y", "..", "x"},
  {"", "", "", "", ".", ""},
  {"a b.c", "a b.c", "a b", "a b.c", ".", "a b"},
  {"a/b/..", "a/b/..", "a/b/.", "..", "a/b", "."},
  {".x.y", ".x.y", ".x", ".x.y", ".", ".x"},
  {"a..b", "a..b", "a.", "a..b", ".", "a."},
  {"///x//", "///x//", "///x//", "", "/", ""},
  {"a/b.c/", "a/b.c/", "a/b.c/", "", "a", ""},
  {"~/x.y", "~/x.y", "~/x", "x.y", "~", "x"},
  {"dir.d/file", "dir.d/file", "dir.d/file", "file", "dir.d", "file"},
};

TEST(Template, ModifiersGiveWhatGnuParallelGives)
{
  for (const Row& row : k_parallel_table) {
    const std::vector<std::string> expected{row.whole, row.stem, row.basename, row.dirname,
                                            row.basename_stem};
    std::vector<std::string> plain;
    std::vector<std::string> numbered;
    for (const char* modifier : {"", ".", "/", "//", "/."}) {
      plain.push_back(expand(std::string("{") + modifier + "}", k_one, {row.input}));
      numbered.push_back(expand(std::string("{1") + modifier + "}", k_one, {row.input}));
    }
    EXPECT_EQ(plain, expected) << "input \"" << row.input << '"';
    EXPECT_EQ(numbered, expected) << "input \"" << row.input << '"';
  }
}

// GNU parallel's {/} is a Perl `s:.*/::`, whose '.' stops at a newline: it
// makes "b\nc/d" of "a/b\nc/d". Here a value's basename follows its last '/'
// whatever the value holds.
TEST(Template, NewlinesInAValueAreBytesLikeAnyOther)
{
  EXPECT_EQ(expand("{/}|{/.}|{//}|{.}", k_one, {"a/b\nc/d.e"}), "d.e|d|a/b\nc|a/b\nc/d");
  EXPECT_EQ(expand("{.}", k_one, {"x.y\nz"}), "x");
}

TEST(Template, SeveralSourcesAsGnuParallelGivesThem)
{
  // parallel -q printf '%s\n' '<this text>' ::: a/b.c ::: /x/y.tar.gz, with
  // its separate arguments for {} written here joined by a space.
  const std::string text = "{1}|{1.}|{1/}|{1//}|{1/.}|{2}|{2.}|{2/}|{2//}|{2/.}|"
                           "{}|{.}|{/}|{//}|{/.}|{#}|{%}";
  EXPECT_EQ(expand(text, k_two, {"a/b.c", "/x/y.tar.gz"}),
            "a/b.c|a/b|b.c|a|b|/x/y.tar.gz|/x/y.tar|y.tar.gz|/x|y.tar|"
            "a/b.c /x/y.tar.gz|a/b /x/y.tar|b.c y.tar.gz|a /x|b y.tar|1|1");
}

TEST(Template, ShellQuotingQuotesEachValueApart)
{
  EXPECT_EQ(expand("echo {} {2/.}", k_two, {"it's", "$(touch x)"}, k_shell),
            "echo 'it'\\''s' '$(touch x)' '$(touch x)'");
  EXPECT_EQ(expand("echo {} {2/.}", k_two, {"it's", "$(touch x)"}, k_none),
            "echo it's $(touch x) $(touch x)");
  EXPECT_EQ(expand("cp {} {.}.bak", k_one, {"my file.txt"}, k_shell),
            "cp 'my file.txt' 'my file'.bak");
}

TEST(Template, SequenceAndSlot)
{
  const Template text("job {#} in slot {%}: {}", k_one);
  EXPECT_EQ(text.expand({{"v"}, 18446744073709551615ULL, 3}, k_shell),
            "job 18446744073709551615 in slot 3: v");
  EXPECT_EQ(text.expand({{"v"}, 1, 0}, k_none), "job 1 in slot 0: v");
}

TEST(Template, BracesThatNameNothingAreText)
{
  for (const char* text :
       {"awk '{ print $1 }'", "echo ${HOME} ${1} ${} ${foo.}", "{a b}", "{..}", "{#.}", "{x.y}",
        "{1a}", "{./}", "{-}", "{", "}", "{{", "}{", "{ }", "{\xff}", "{1 }", ""}) {
    EXPECT_EQ(find_template_problem(text, k_one), std::nullopt) << text;
    EXPECT_EQ(expand(text, k_one, {"VALUE"}), text);
    EXPECT_FALSE(Template(text, k_one).uses_input()) << text;
  }
}

TEST(Template, PlaceholdersBesideText)
{
  EXPECT_EQ(expand("{}}", k_one, {"v"}), "v}");
  EXPECT_EQ(expand("{{}}", k_one, {"v"}), "{v}");
  EXPECT_EQ(expand("{{}", k_one, {"v"}), "{v");
  EXPECT_EQ(expand("${}{}", k_one, {"v"}), "${}v");
  EXPECT_EQ(expand("a{}b{.}c", k_one, {"x.y"}), "ax.ybxc");
  EXPECT_EQ(expand("{01}", k_one, {"v"}), "v");
  EXPECT_EQ(expand("{2}{1}", k_two, {"a", "b"}), "ba");
}

TEST(Template, UsesInputOnlyWithAValuePlaceholder)
{
  EXPECT_FALSE(Template("echo {#} {%}", k_one).uses_input());
  EXPECT_TRUE(Template("echo {/.}", k_one).uses_input());
  EXPECT_TRUE(Template("echo {2}", k_two).uses_input());
  EXPECT_TRUE(Template("echo {os}", k_matrix).uses_input());
}

TEST(Template, MatrixKeysNameTheirSource)
{
  EXPECT_EQ(expand("run --py {py} --os {os} ({})", k_matrix, {"3.11", "deb ian"}, k_shell),
            "run --py 3.11 --os 'deb ian' (3.11 'deb ian')");
  EXPECT_EQ(expand("{py.}", k_matrix, {"3.11", "x"}), "3");
  const PlaceholderSet odd_key{1, {"a b"}};
  EXPECT_EQ(expand("{a b}", odd_key, {"v"}), "v");
}

// A command template for /bin/sh with one value, and the arguments its
// `printf '%s\0'` prints with value `v`.
struct ShellCase {
  std::string text;
  std::function<std::vector<std::string>(const std::string& v)> printed;
};

using Args = std::vector<std::string>;

const ShellCase k_shell_cases[] = {
  {"printf '%s\\0' {}", [](const std::string& v) { return Args{v}; }},
  {"printf '%s\\0' '{}'", [](const std::string& v) { return Args{v}; }},
  {"printf '%s\\0' \"{}\"", [](const std::string& v) { return Args{v}; }},
  {"printf '%s\\0' x\"a{}b\"'{}'{}",
   [](const std::string& v) { return Args{"xa" + v + 'b' + v + v}; }},
  {"printf '%s\\0' \"'{}'\" '\"{}\"'",
   [](const std::string& v) {
     return Args{'\'' + v + '\'', '"' + v + '"'};
   }},
  // A backslash just before a value stays a backslash.
  {"printf '%s\\0' \\{} \"\\{}\" '\\{}'",
   [](const std::string& v) {
     return Args{'\\' + v, '\\' + v, '\\' + v};
   }},
  {"printf '%s\\0' \"$(printf '%s|' {} \"{}\")\"",
   [](const std::string& v) { return Args{v + '|' + v + '|'}; }},
  {"printf '%s\\0' \"`printf '%s|' {} '{}' \"{}\"`\"",
   [](const std::string& v) { return Args{v + '|' + v + '|' + v + '|'}; }},
  {"y=`printf '%s|' \"{}\"`; printf '%s\\0' \"$y\"",
   [](const std::string& v) { return Args{v + '|'}; }},
  // Backquotes in backquotes, all in double quotes.
  {"printf '%s\\0' \"`printf '%s|' \\\"\\`printf '%s|' \\\\\"{}\\\\\"\\`\\\"`\"",
   [](const std::string& v) { return Args{v + "||"}; }},
  {"unset u; printf '%s\\0' \"${u-{}}\" ${u-{}}x",
   [](const std::string& v) {
     return Args{v, v + 'x'};
   }},
  {"x={}; printf '%s\\0' \"${x%'{}'}|\" \"${x#{}}|\"",
   [](const std::string&) {
     return Args{"|", "|"};
   }},
  {"printf '%s\\0' ok # {} '\n# {}\nprintf '%s\\0' \"{}\"",
   [](const std::string& v) {
     return Args{"ok", v};
   }},
  {"printf '%s\\0' \"$(printf ok # {} )\n)\"; ({ printf '%s\\0' \"{}\"; })",
   [](const std::string& v) {
     return Args{"ok", v};
   }},
};

// Hostile values: whether in quotes of the text's own or not, each reaches
// sh as exactly its bytes, and nothing of it is run.
TEST_F(TemplateInShell, EveryQuoteContextGivesTheValueExactly)
{
  for (const ShellCase& c : k_shell_cases) {
    const Template text(c.text, k_one);
    for (const std::string& value : test::k_hostile_values) {
      const std::string command = text.expand({{value}, 1, 1}, k_shell);
      std::string expected;
      for (const std::string& arg : c.printed(value)) {
        expected += arg + '\0';
      }
      EXPECT_EQ(printed_by(command), expected) << "text " << c.text << "\ncommand " << command;
      ASSERT_FALSE(pwned()) << "text " << c.text << "\ncommand " << command;
    }
  }
}

// sh fails on a quote the text leaves open, the value still in it.
TEST_F(TemplateInShell, AnUnterminatedQuoteKeepsTheValueInIt)
{
  for (const char* text :
       {"printf '%s' '{}", "printf '%s' \"{}", "printf '%s' \"$(printf {}", "echo `{}"}) {
    for (const std::string& value : test::k_hostile_values) {
      const std::string command = Template(text, k_one).expand({{value}, 1, 1}, k_shell);
      EXPECT_EQ(test::run_shell(m_dir, command).second, 2) << command;
      ASSERT_FALSE(pwned()) << command;
    }
  }
}

TEST(Template, ShellQuotingFollowsTheTextsQuotes)
{
  EXPECT_EQ(expand("a {} '{}' \"{}\" \\{}", k_one, {"it's $x"}, k_shell),
            "a 'it'\\''s $x' 'it'\\''s $x' \"it's \\$x\" \\\\'it'\\''s $x'");
  EXPECT_EQ(expand("'{}' {} \"{}\"", k_two, {"a b", "c'd"}, k_shell),
            "'a b c'\\''d' 'a b' 'c'\\''d' \"a b c'd\"");
  // Quoting::none leaves quotes to the command that takes them.
  EXPECT_EQ(expand("'{}' \"{}\"", k_one, {"it's $x"}, k_none), "'it's $x' \"it's $x\"");
}

TEST(Template, ExpandArgsGivesEveryValueOfALonePlaceholderApart)
{
  const InputValues input{{"a b/c.d", "e.f"}, 7, 2};
  const auto args = [&](std::string_view text, const PlaceholderSet& placeholders) {
    std::vector<std::string> out{"before"};
    Template(text, placeholders).expand_args(out, input);
    return out;
  };
  EXPECT_EQ(args("{}", k_two), (std::vector<std::string>{"before", "a b/c.d", "e.f"}));
  EXPECT_EQ(args("{/.}", k_two), (std::vector<std::string>{"before", "c", "e"}));
  EXPECT_EQ(args("{2.}", k_two), (std::vector<std::string>{"before", "e"}));
  EXPECT_EQ(args("{os}", k_matrix), (std::vector<std::string>{"before", "e.f"}));
  EXPECT_EQ(args("x{}", k_two), (std::vector<std::string>{"before", "xa b/c.d e.f"}));
  EXPECT_EQ(args("{} ", k_two), (std::vector<std::string>{"before", "a b/c.d e.f "}));
  EXPECT_EQ(args("{#}", k_two), (std::vector<std::string>{"before", "7"}));
  EXPECT_EQ(args("", k_two), (std::vector<std::string>{"before", ""}));
}

TEST(Template, IsLoneValueOnlyForOnePlaceholderOfValues)
{
  for (const char* text : {"{}", "{.}", "{1//}", "{2/.}"}) {
    EXPECT_TRUE(Template(text, k_two).is_lone_value()) << text;
  }
  for (const char* text : {"", "{#}", "{%}", "{}{}", " {}", "{}x", "{ }", "'{}'"}) {
    EXPECT_FALSE(Template(text, k_two).is_lone_value()) << text;
  }
}

struct ProblemCase {
  std::string text;
  PlaceholderSet placeholders;
  std::size_t offset;
  std::string message;
};

TEST(Template, ProblemsAreFoundWithTheirOffset)
{
  const ProblemCase cases[] = {
    {"echo {foo}", k_one, 5, "unknown placeholder {foo}"},
    {"awk '{print}'", k_one, 5, "unknown placeholder {print}"},
    {"{a-b/.}", k_one, 0, "unknown placeholder {a-b/.}"},
    {"x {3} y", k_two, 2, "{3}: there are only 2 input sources"},
    {"{} {2.}", k_one, 3, "{2.}: there is only 1 input source"},
    {"{99999999999999999999999}", k_two, 0,
     "{99999999999999999999999}: there are only 2 input sources"},
    {"{0}", k_one, 0, "{0}: input sources are numbered from 1"},
    {"{00/}", k_one, 0, "{00/}: input sources are numbered from 1"},
    {"run {py3} {os}", k_matrix, 4, "unknown placeholder {py3}; this group has {py}, {os}"},
    {"run {os} {1}", k_matrix, 9, "unknown placeholder {1}; this group has {py}, {os}"},
    {"${x} {ok} {bad}", PlaceholderSet{1, {"ok"}}, 10,
     "unknown placeholder {bad}; this group has {ok}"},
  };
  for (const ProblemCase& c : cases) {
    const auto problem = find_template_problem(c.text, c.placeholders);
    ASSERT_TRUE(problem.has_value()) << c.text;
    EXPECT_EQ(problem->offset, c.offset) << c.text;
    EXPECT_EQ(problem->message, c.message) << c.text;
  }
}

TEST(Template, ExpandIntoAppendsAndACopyExpandsAlike)
{
  const Template original("<{}>", k_one);
  const Template copy = original;
  std::string out = "before ";
  copy.expand_into(out, {{"v"}, 1, 0}, k_none);
  EXPECT_EQ(out, "before <v>");
}

} // namespace
} // namespace fanout
