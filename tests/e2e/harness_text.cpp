// SPDX-License-Identifier: MIT
// The harness's text helpers: lines, sorted lines, one job's lines, elapsed
// times masked, and the most jobs running at once from a log of marks.
#include "harness.hpp"

#include <algorithm>
#include <regex>

namespace e2e {

std::string mask_times(std::string_view text)
{
  static const std::regex elapsed(R"(\d+\.\d\ds)");
  return std::regex_replace(std::string(text), elapsed, "T");
}

std::vector<std::string> split_lines(std::string_view text)
{
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

std::vector<std::string> lines_after(std::string_view text, std::string_view prefix)
{
  std::vector<std::string> found;
  for (std::string& line : split_lines(text)) {
    if (line.starts_with(prefix)) {
      found.push_back(line.substr(prefix.size()));
    }
  }
  return found;
}

int most_running(std::string_view log)
{
  int running = 0;
  int most = 0;
  for (const std::string& mark : split_lines(log)) {
    running += mark == "start" ? 1 : -1;
    most = std::max(most, running);
  }
  return most;
}

std::vector<std::string> sorted_lines(std::string_view text)
{
  std::vector<std::string> lines = split_lines(text);
  std::sort(lines.begin(), lines.end());
  return lines;
}

} // namespace e2e
