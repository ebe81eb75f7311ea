// SPDX-License-Identifier: MIT
#include "output/line_splitter.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

// Feeds `pieces` one after another, then ends the stream; returns the lines.
std::vector<std::string> split(const std::vector<std::string>& pieces)
{
  LineSplitter splitter;
  std::vector<std::string> lines;
  auto emit = [&](std::string_view line) { lines.emplace_back(line); };
  for (const std::string& piece : pieces) {
    splitter.feed(piece, emit);
  }
  splitter.finish(emit);
  return lines;
}

using Lines = std::vector<std::string>;

TEST(LineSplitter, WholeLines)
{
  EXPECT_EQ(split({"a\nbb\n\nccc\n"}), (Lines{"a", "bb", "", "ccc"}));
}

TEST(LineSplitter, LinesAcrossPieces)
{
  EXPECT_EQ(split({"he", "llo\nwor", "", "ld\n"}), (Lines{"hello", "world"}));
}

TEST(LineSplitter, PartialLastLineAtTheEnd)
{
  EXPECT_EQ(split({"one\ntw", "o"}), (Lines{"one", "two"}));
}

TEST(LineSplitter, NothingAtAll)
{
  EXPECT_EQ(split({}), Lines{});
  EXPECT_EQ(split({""}), Lines{});
}

TEST(LineSplitter, KeepsPartialUntilNewline)
{
  LineSplitter splitter;
  Lines lines;
  splitter.feed("abc", [&](std::string_view line) { lines.emplace_back(line); });
  EXPECT_TRUE(lines.empty());
  EXPECT_TRUE(splitter.has_partial());
  splitter.feed("\n", [&](std::string_view line) { lines.emplace_back(line); });
  EXPECT_EQ(lines, Lines{"abc"});
  EXPECT_FALSE(splitter.has_partial());
}

TEST(LineSplitter, CarriageReturnsAndBinaryBytesPassUntouched)
{
  const std::string binary("a\0b\xff\r", 5);
  EXPECT_EQ(split({"dos\r\n", "progress 1\rprogress 2\n", binary + "\n"}),
            (Lines{"dos\r", "progress 1\rprogress 2", binary}));
}

TEST(LineSplitter, LongLineIsSplitIn64KiBPieces)
{
  const std::size_t max = LineSplitter::k_max_line;
  const std::string line(2 * max + 10, 'x');
  EXPECT_EQ(split({line + "\nnext\n"}),
            (Lines{std::string(max, 'x'), std::string(max, 'x'), std::string(10, 'x'), "next"}));
}

TEST(LineSplitter, LineOfExactlyOnePieceIsOneLine)
{
  const std::string line(LineSplitter::k_max_line, 'y');
  EXPECT_EQ(split({line + "\n", "z\n"}), (Lines{line, "z"}));
}

TEST(LineSplitter, NewlineAfterAPieceBoundaryEndsTheLine)
{
  const std::string piece(LineSplitter::k_max_line, 'y');
  EXPECT_EQ(split({piece, "\n", "z\n"}), (Lines{piece, "z"}));
  EXPECT_EQ(split({piece, "\n\n"}), (Lines{piece, ""}));
  EXPECT_EQ(split({piece + piece, "\n"}), (Lines{piece, piece}));
}

TEST(LineSplitter, EmptyLineAfterAWholePieceWithItsNewlineIsKept)
{
  const std::string piece(LineSplitter::k_max_line, 'y');
  EXPECT_EQ(split({piece + "\n", "\nafter\n"}), (Lines{piece, "", "after"}));
}

TEST(LineSplitter, LongLineFedByteByByte)
{
  const std::size_t max = LineSplitter::k_max_line;
  std::vector<std::string> pieces(max + 3, "q");
  pieces.push_back("\n");
  EXPECT_EQ(split(pieces), (Lines{std::string(max, 'q'), "qqq"}));
}

TEST(LineSplitter, LongLineAcrossPiecesWithPartial)
{
  const std::size_t max = LineSplitter::k_max_line;
  EXPECT_EQ(split({"ab", std::string(max, 'c') + "\n"}),
            (Lines{"ab" + std::string(max - 2, 'c'), "cc"}));
}

} // namespace
} // namespace fanout
