// SPDX-License-Identifier: MIT
#pragma once

#include "output/line_splitter.hpp"
#include "output/stream.hpp"

#include <array>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace fanout {

// The last lines of one attempt's output, in bounded memory: at most
// `max_lines` lines and about `max_bytes` bytes, the newest kept. Lines of
// both streams are kept in the order they were completed, each with its
// stream, so what a job wrote to stdout and to stderr reads as one story.
class OutputTail {
public:
  struct Line {
    Stream stream;
    std::string text; // without its newline
  };

  OutputTail(std::size_t max_lines, std::size_t max_bytes);

  // The next piece of `stream`: any length, not necessarily whole lines.
  void add(Stream stream, std::string_view bytes);

  // `stream` ended: its unfinished last line, if any, is kept as a line.
  void close(Stream stream);

  // The kept lines, oldest first.
  const std::deque<Line>& lines() const { return m_lines; }

  // How many earlier lines were dropped to stay within the bounds.
  std::size_t dropped() const { return m_dropped; }

private:
  void keep(Stream stream, std::string_view line);

  std::size_t m_max_lines;
  std::size_t m_max_bytes;
  std::array<LineSplitter, 2> m_splitters;
  std::deque<Line> m_lines;
  std::size_t m_bytes = 0;
  std::size_t m_dropped = 0;
};

} // namespace fanout
