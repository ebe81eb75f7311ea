// SPDX-License-Identifier: MIT
#include "output/output_tail.hpp"

namespace fanout {

OutputTail::OutputTail(std::size_t max_lines, std::size_t max_bytes)
    : m_max_lines(max_lines), m_max_bytes(max_bytes)
{
}

void OutputTail::add(Stream stream, std::string_view bytes)
{
  m_splitters[index_of(stream)].feed(bytes, [&](std::string_view line) { keep(stream, line); });
}

void OutputTail::close(Stream stream)
{
  m_splitters[index_of(stream)].finish([&](std::string_view line) { keep(stream, line); });
}

void OutputTail::keep(Stream stream, std::string_view line)
{
  if (m_max_lines == 0) {
    ++m_dropped;
    return;
  }
  // A line longer than the whole budget keeps its end: the last words.
  const std::string_view kept =
    line.size() > m_max_bytes ? line.substr(line.size() - m_max_bytes) : line;
  m_lines.push_back({stream, std::string(kept)});
  m_bytes += kept.size();
  while (m_lines.size() > m_max_lines || (m_bytes > m_max_bytes && m_lines.size() > 1)) {
    m_bytes -= m_lines.front().text.size();
    m_lines.pop_front();
    ++m_dropped;
  }
}

} // namespace fanout
