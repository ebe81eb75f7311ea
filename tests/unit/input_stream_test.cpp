// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "inputs/input_stream.hpp"
#include "inputs_test_support.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using fanout::GroupSpec;
using fanout::InputSourceSpec;
using fanout::InputStream;
using fanout_test::MoreCalls;
using Kind = InputSourceSpec::Kind;
using Inputs = std::vector<std::vector<std::string>>;

namespace {

InputSourceSpec values(std::vector<std::string> list)
{
  InputSourceSpec spec;
  spec.values = std::move(list);
  return spec;
}

InputSourceSpec range(long long first, long long last)
{
  InputSourceSpec spec;
  spec.kind = Kind::range;
  spec.first = first;
  spec.last = last;
  return spec;
}

InputSourceSpec source(Kind kind, std::string path, std::string folder = {})
{
  InputSourceSpec spec;
  spec.kind = kind;
  spec.path = std::move(path);
  spec.folder = std::move(folder);
  return spec;
}

// Every input of a group of `sources`.
Inputs inputs_of(std::vector<InputSourceSpec> sources)
{
  MoreCalls more;
  const std::unique_ptr<InputStream> stream = fanout::open_inputs(
    GroupSpec{GroupSpec::Origin::command_line, std::move(sources), {}, {}}, more.callback());
  Inputs inputs = fanout_test::take_all<std::vector<std::string>>(*stream, more);
  EXPECT_EQ(stream->error(), std::nullopt);
  return inputs;
}

// The message open_inputs throws for `sources`.
std::string error_of(std::vector<InputSourceSpec> sources)
{
  try {
    fanout::open_inputs(GroupSpec{GroupSpec::Origin::for_each, std::move(sources), {}, {}}, [] {});
  } catch (const fanout::Error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST(InputStream, GivesValuesInTheirOrder)
{
  EXPECT_EQ(inputs_of({values({"b", "a", "$(touch x) 'y'"})}),
            (Inputs{{"b"}, {"a"}, {"$(touch x) 'y'"}}));
}

TEST(InputStream, CountsARangeUpOrDown)
{
  EXPECT_EQ(inputs_of({range(3, 5)}), (Inputs{{"3"}, {"4"}, {"5"}}));
  EXPECT_EQ(inputs_of({range(1, -1)}), (Inputs{{"1"}, {"0"}, {"-1"}}));
  EXPECT_EQ(inputs_of({range(7, 7)}), (Inputs{{"7"}}));
  EXPECT_EQ(inputs_of({range(LLONG_MAX - 1, LLONG_MAX)}),
            (Inputs{{"9223372036854775806"}, {"9223372036854775807"}}));
  EXPECT_EQ(inputs_of({range(LLONG_MIN + 1, LLONG_MIN)}),
            (Inputs{{"-9223372036854775807"}, {"-9223372036854775808"}}));
}

TEST(InputStream, SeveralSourcesGiveTheirProductTheLastVaryingFastest)
{
  EXPECT_EQ(inputs_of({values({"a", "b"}), range(1, 2)}),
            (Inputs{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}}));
  EXPECT_EQ(inputs_of({range(1, 2), values({"x"}), values({"p", "q"})}),
            (Inputs{{"1", "x", "p"}, {"1", "x", "q"}, {"2", "x", "p"}, {"2", "x", "q"}}));
}

TEST(InputStream, ASourceWithoutValuesMakesTheProductEmpty)
{
  EXPECT_EQ(inputs_of({values({"a", "b"}), values({})}), Inputs{});
  EXPECT_EQ(inputs_of({values({}), values({"a", "b"})}), Inputs{});
}

// `-` is fanout's stdin, which stays open for the rest of the run.
TEST(InputStream, ReadsStdinForADash)
{
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  const int saved_stdin = ::dup(0);
  ASSERT_EQ(::dup2(fds[0], 0), 0);
  ::close(fds[0]);
  ASSERT_EQ(::write(fds[1], "a\nb\n", 4), 4);
  ::close(fds[1]);
  const Inputs inputs = inputs_of({source(Kind::lines, "-"), values({"1"})});
  const bool stdin_open = ::fcntl(0, F_GETFD) != -1;
  ::dup2(saved_stdin, 0);
  ::close(saved_stdin);
  EXPECT_EQ(inputs, (Inputs{{"a", "1"}, {"b", "1"}}));
  EXPECT_TRUE(stdin_open);
}

class InputStreamTest : public fanout_test::TempFolderTest {};

TEST_F(InputStreamTest, ReadsTheLinesOfAFileFirstOrLater)
{
  const std::string list = write("list.txt", "a\n\nb\r\n\xff");
  EXPECT_EQ(inputs_of({source(Kind::lines, list)}), (Inputs{{"a"}, {""}, {"b\r"}, {"\xff"}}));
  EXPECT_EQ(inputs_of({values({"v"}), source(Kind::lines, list)}),
            (Inputs{{"v", "a"}, {"v", ""}, {"v", "b\r"}, {"v", "\xff"}}));
}

TEST_F(InputStreamTest, CutsAtNulsWhenToldSo)
{
  InputSourceSpec spec = source(Kind::lines, write("list", std::string("a\nb\0c", 5)));
  spec.separator = '\0';
  EXPECT_EQ(inputs_of({spec}), (Inputs{{"a\nb"}, {"c"}}));
}

TEST_F(InputStreamTest, WalksAGlobFirstOrLater)
{
  write("data/b.csv", "");
  write("data/a.csv", "");
  write("data/x/c.csv", "");
  const std::string folder = m_dir.string();
  EXPECT_EQ(inputs_of({source(Kind::glob, "data/**/*.csv", folder)}),
            (Inputs{{"data/a.csv"}, {"data/b.csv"}, {"data/x/c.csv"}}));
  EXPECT_EQ(inputs_of({values({"v"}), source(Kind::glob, "data/*.csv", folder)}),
            (Inputs{{"v", "data/a.csv"}, {"v", "data/b.csv"}}));
  EXPECT_EQ(inputs_of({source(Kind::glob, "none/*", folder)}), Inputs{});
}

TEST_F(InputStreamTest, AFileThatCannotBeOpenedIsAnError)
{
  const std::string missing = (m_dir / "list.txt").string();
  const std::string expected =
    "cannot read inputs from \"" + missing + "\": No such file or directory";
  EXPECT_EQ(error_of({source(Kind::lines, missing)}), expected);
  EXPECT_EQ(error_of({values({"a"}), source(Kind::lines, missing)}), expected);
}

// Opening it works; reading it does not.
TEST(InputStream, AReadErrorEndsTheInputsAndSaysWhy)
{
  MoreCalls more;
  const std::unique_ptr<InputStream> stream = fanout::open_inputs(
    GroupSpec{GroupSpec::Origin::for_each, {source(Kind::lines, "/proc/self/mem")}, {}, {}},
    more.callback());
  EXPECT_EQ(fanout_test::take_all<std::vector<std::string>>(*stream, more), Inputs{});
  EXPECT_EQ(stream->error(), "cannot read inputs from \"/proc/self/mem\": Input/output error");
}
