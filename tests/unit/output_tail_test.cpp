// SPDX-License-Identifier: MIT
#include "output/output_tail.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

// "o:text" or "e:text" per kept line, oldest first.
std::vector<std::string> lines_of(const OutputTail& tail)
{
  std::vector<std::string> lines;
  for (const OutputTail::Line& line : tail.lines()) {
    lines.push_back((line.stream == Stream::out ? "o:" : "e:") + line.text);
  }
  return lines;
}

TEST(OutputTail, KeepsLinesOfBothStreamsInTheOrderTheyEnded)
{
  OutputTail tail(10, 1000);
  tail.add(Stream::out, "one\ntw");
  tail.add(Stream::err, "oops\n");
  tail.add(Stream::out, "o\n");
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:one", "e:oops", "o:two"}));
  EXPECT_EQ(tail.dropped(), 0u);
}

TEST(OutputTail, KeepsTheLastLinesWithinItsCount)
{
  OutputTail tail(2, 1000);
  tail.add(Stream::out, "1\n2\n3\n4\n");
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:3", "o:4"}));
  EXPECT_EQ(tail.dropped(), 2u);
}

// A piece that ends many more lines than are kept, after an unfinished
// line: the lines before the last ones are counted, the unfinished line
// among them, and the rest kept as if fed line by line.
TEST(OutputTail, APieceOfManyLinesKeepsItsLastOnesAndCountsTheRest)
{
  OutputTail tail(3, 1000);
  tail.add(Stream::err, "e1\n");
  tail.add(Stream::out, "par");
  std::string piece = "t\n";
  for (int i = 2; i <= 100; ++i) {
    piece += std::to_string(i) + "\n";
  }
  tail.add(Stream::out, piece + "unfinished");
  tail.close(Stream::out);
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:99", "o:100", "o:unfinished"}));
  EXPECT_EQ(tail.dropped(), 99u); // e1, "part", and 2 to 98
}

TEST(OutputTail, KeepsTheLastLinesWithinItsBytes)
{
  OutputTail tail(100, 10);
  tail.add(Stream::out, "aaaa\nbbbb\ncccc\n");
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:bbbb", "o:cccc"}));
  EXPECT_EQ(tail.dropped(), 1u);
}

TEST(OutputTail, ALineLongerThanItsBytesKeepsItsEnd)
{
  OutputTail tail(100, 4);
  tail.add(Stream::err, "early\nthe last words\n");
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"e:ords"}));
  EXPECT_EQ(tail.dropped(), 1u);
}

TEST(OutputTail, AnUnfinishedLineIsKeptWhenItsStreamCloses)
{
  OutputTail tail(10, 1000);
  tail.add(Stream::out, "done\nhalf");
  tail.add(Stream::err, "no newline");
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:done"}));
  tail.close(Stream::err);
  tail.close(Stream::out);
  EXPECT_EQ(lines_of(tail), (std::vector<std::string>{"o:done", "e:no newline", "o:half"}));
}

TEST(OutputTail, NoLinesKeptDropsThemAll)
{
  OutputTail tail(0, 1000);
  tail.add(Stream::out, "a\nb\n");
  EXPECT_TRUE(tail.lines().empty());
  EXPECT_EQ(tail.dropped(), 2u);
}

} // namespace
} // namespace fanout
