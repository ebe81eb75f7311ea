// SPDX-License-Identifier: MIT
#include "output/line_tagger.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace fanout {

namespace {

// Foreground colours that read well on dark and light terminals; red is left
// out so that a job name never looks like an error.
constexpr std::array<std::string_view, 6> k_palette = {"\x1b[36m", "\x1b[33m", "\x1b[35m",
                                                       "\x1b[32m", "\x1b[34m", "\x1b[96m"};
constexpr std::string_view k_reset = "\x1b[0m";

} // namespace

std::string line_prefix(std::string_view name, std::size_t width, JobId id, bool color)
{
  std::string prefix;
  if (color) {
    prefix.append(k_palette[id % k_palette.size()]).append(name).append(k_reset);
  } else {
    prefix.append(name);
  }
  if (name.size() < width) {
    prefix.append(width - name.size(), ' ');
  }
  prefix.append(" | ");
  return prefix;
}

Coloring coloring_for(ColorMode mode, const Console& console)
{
  switch (mode) {
  case ColorMode::always:
    return {true, true};
  case ColorMode::never:
    return {false, false};
  case ColorMode::automatic:
    break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  if ((no_color != nullptr && *no_color != '\0') ||
      (term != nullptr && std::string_view(term) == "dumb")) {
    return {false, false};
  }
  return {console.is_tty(Stream::out), console.is_tty(Stream::err)};
}

LineTagger::LineTagger(std::size_t width, Coloring coloring)
    : m_width(width), m_color{coloring.out, coloring.err}
{
}

void LineTagger::start(JobId id, std::string_view tag)
{
  JobState& job = m_jobs[id];
  for (std::size_t s = 0; s < 2; ++s) {
    job.prefixes[s] = line_prefix(tag, m_width, id, m_color[s]);
  }
}

std::string_view LineTagger::tag(JobId id, Stream stream, std::string_view bytes)
{
  const std::size_t s = index_of(stream);
  JobState& job = m_jobs.at(id);
  const std::string_view prefix = job.prefixes[s];
  // Lines are copied once, into a buffer that goes out in one write(2).
  job.splitters[s].feed(bytes, [&](std::string_view line) { append_line(prefix, line); });
  return take();
}

std::string_view LineTagger::close(JobId id, Stream stream)
{
  const std::size_t s = index_of(stream);
  JobState& job = m_jobs.at(id);
  const std::string_view prefix = job.prefixes[s];
  job.splitters[s].finish([&](std::string_view line) { append_line(prefix, line); });
  if (--job.open_streams == 0) {
    m_jobs.erase(id);
  }
  return take();
}

void LineTagger::append_line(std::string_view prefix, std::string_view line)
{
  const std::size_t needed = prefix.size() + line.size() + 1;
  if (m_capacity - m_size < needed) {
    const std::size_t capacity = std::max(2 * m_capacity, m_size + needed);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    std::copy_n(m_buffer.get(), m_size, grown.get()); // memcpy may not take the first null
    m_buffer = std::move(grown);
    m_capacity = capacity;
  }
  char* out = m_buffer.get() + m_size;
  std::memcpy(out, prefix.data(), prefix.size());
  std::memcpy(out + prefix.size(), line.data(), line.size());
  out[needed - 1] = '\n';
  m_size += needed;
}

std::string_view LineTagger::take()
{
  const std::string_view lines(m_buffer.get(), m_size);
  m_size = 0;
  return lines;
}

} // namespace fanout
