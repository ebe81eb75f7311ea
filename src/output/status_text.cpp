// SPDX-License-Identifier: MIT
#include "output/status_text.hpp"

#include "inputs/input_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace fanout {

namespace {

// The ETA is the time left at the rate jobs have ended so far. That rate
// says little until every slot has ended a couple of jobs: the first ends
// come a whole job's time after the start, and in bursts (the first jobs
// started together); and a run of a handful of jobs is over before an
// estimate could help. So it waits for at least this many ended jobs, and
// for twice as many as run at once.
constexpr std::size_t k_eta_min_done = 5;

constexpr std::string_view k_cut = "...";

// `seconds` as a clock shows a duration: "0:42", "12:05", "1:02:03".
std::string clock_text(long long seconds)
{
  const long long hours = seconds / 3600;
  const long long minutes = seconds / 60 % 60;
  char text[32];
  if (hours > 0) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", hours, minutes, seconds % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", minutes, seconds % 60);
  }
  return text;
}

std::optional<Seconds> eta(const StatusCounts& counts, std::size_t running, Seconds elapsed)
{
  if (counts.more || counts.done >= counts.total ||
      counts.done < std::max(k_eta_min_done, 2 * running)) {
    return std::nullopt;
  }
  return elapsed * static_cast<double>(counts.total - counts.done) /
         static_cast<double>(counts.done);
}

// `tag` with what a terminal would act on escaped. Its backslashes stay as
// they are: a group member's tag holds its input escaped already ("a\tb"),
// which a second escape would show otherwise than its output lines do.
void append_shown(std::string& line, std::string_view tag)
{
  for (;;) {
    const std::size_t slash = tag.find('\\');
    line += escaped_for_display(tag.substr(0, slash));
    if (slash == std::string_view::npos) {
      return;
    }
    line += '\\';
    tag.remove_prefix(slash + 1);
  }
}

// `line` in at most `width` bytes: its start, cut between two characters,
// then as much of "..." as fits.
std::string cut(std::string line, std::size_t width)
{
  if (line.size() <= width) {
    return line;
  }
  std::size_t end = width > k_cut.size() ? width - k_cut.size() : 0;
  while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xc0) == 0x80) {
    --end; // a UTF-8 continuation byte: the character starts before it
  }
  line.resize(end);
  line += k_cut.substr(0, width - end);
  return line;
}

} // namespace

std::string status_text(const StatusCounts& counts, std::span<const std::string_view> running,
                        Seconds elapsed, std::size_t width)
{
  std::string line = "[";
  line.append(std::to_string(counts.done)).append("/").append(std::to_string(counts.total));
  line.append(counts.more ? "+] " : "] ");
  if (counts.failed > 0) {
    line += std::to_string(counts.failed) + " failed, ";
  }
  line += clock_text(static_cast<long long>(elapsed.count()));
  if (const auto left = eta(counts, running.size(), elapsed)) {
    line += ", ETA " + clock_text(static_cast<long long>(std::ceil(left->count())));
  }
  if (!running.empty()) {
    line += ", " + std::to_string(running.size()) + " running: ";
    for (std::size_t i = 0; i < running.size() && line.size() <= width; ++i) {
      line += i == 0 ? "" : ", ";
      append_shown(line, running[i]);
    }
  }
  return cut(std::move(line), width);
}

} // namespace fanout
