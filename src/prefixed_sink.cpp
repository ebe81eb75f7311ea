// SPDX-License-Identifier: MIT
#include "fanout/prefixed_sink.hpp"

#include <array>
#include <cstdlib>

namespace fanout {

namespace {

// Foreground colours that read well on dark and light terminals; red is left
// out so that a job name never looks like an error.
constexpr std::array<std::string_view, 6> k_palette = {
  "\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[32m", "\x1b[34m", "\x1b[96m"};
constexpr std::string_view k_reset = "\x1b[0m";

std::string make_prefix(const std::string& name, std::size_t width, JobId id, bool color)
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

std::size_t index_of(Stream stream)
{
  return stream == Stream::out ? 0 : 1;
}

} // namespace

Coloring coloring_for(ColorMode mode, const FdWriter& out, const FdWriter& err)
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
  if ((no_color != nullptr && *no_color != '\0') || (term != nullptr && std::string_view(term) == "dumb")) {
    return {false, false};
  }
  return {out.is_tty(), err.is_tty()};
}

PrefixedSink::PrefixedSink(const std::vector<std::string>& names, std::size_t width,
                           Coloring coloring, FdWriter& out, FdWriter& err)
  : m_jobs(names.size()), m_writers{&out, &err}
{
  const bool color[2] = {coloring.out, coloring.err};
  for (std::size_t s = 0; s < 2; ++s) {
    m_prefixes[s].reserve(names.size());
    for (JobId id = 0; id < names.size(); ++id) {
      m_prefixes[s].push_back(make_prefix(names[id], width, id, color[s]));
    }
  }
}

void PrefixedSink::write(JobId id, Stream stream, std::string_view bytes)
{
  const std::size_t s = index_of(stream);
  // Lines are copied once, into a buffer that goes out in one write(2).
  m_jobs[id].splitters[s].feed(bytes, [&](std::string_view line) { append_line(id, stream, line); });
  flush(stream);
}

void PrefixedSink::close(JobId id, Stream stream)
{
  const std::size_t s = index_of(stream);
  m_jobs[id].splitters[s].finish([&](std::string_view line) { append_line(id, stream, line); });
  flush(stream);
}

void PrefixedSink::append_line(JobId id, Stream stream, std::string_view line)
{
  m_buffer.append(m_prefixes[index_of(stream)][id]).append(line).push_back('\n');
}

void PrefixedSink::flush(Stream stream)
{
  if (!m_buffer.empty()) {
    m_writers[index_of(stream)]->write(m_buffer);
    m_buffer.clear();
  }
}

} // namespace fanout
