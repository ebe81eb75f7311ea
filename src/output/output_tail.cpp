// SPDX-License-Identifier: MIT
#include "output/output_tail.hpp"

#include <algorithm>
#include <cstring>

namespace fanout {

namespace {

// How many '\n' `bytes` holds: counted a block at a time in a byte, a loop
// the compiler turns into vector instructions.
std::size_t count_newlines(std::string_view bytes)
{
  std::size_t total = 0;
  while (!bytes.empty()) {
    const std::size_t block = std::min<std::size_t>(bytes.size(), 255);
    unsigned char found = 0;
    for (std::size_t i = 0; i < block; ++i) {
      found = static_cast<unsigned char>(found + (bytes[i] == '\n'));
    }
    total += found;
    bytes.remove_prefix(block);
  }
  return total;
}

} // namespace

OutputTail::OutputTail(std::size_t max_lines, std::size_t max_bytes)
    : m_max_lines(max_lines), m_max_bytes(max_bytes)
{
}

void OutputTail::add(Stream stream, std::string_view bytes)
{
  // Of a piece that ends more lines than the tail keeps, only its last lines
  // can be kept: what ends before them is counted, never copied, so a job
  // that writes a lot costs the tail a scan, not a string per line.
  std::size_t found = 0;
  for (std::size_t end = bytes.size(); end > 0;) {
    const void* newline = ::memrchr(bytes.data(), '\n', end);
    if (newline == nullptr) {
      break;
    }
    end = static_cast<std::size_t>(static_cast<const char*>(newline) - bytes.data());
    if (++found > m_max_lines) {
      m_dropped += count_newlines(bytes.substr(0, end + 1));
      m_splitters[index_of(stream)].discard();
      bytes.remove_prefix(end + 1);
      break;
    }
  }
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
