// SPDX-License-Identifier: MIT
#include "output/ci_folds.hpp"

#include <cstdlib>

namespace fanout {

namespace {

// Back to the line's start, erased: a terminal shows no section marker,
// only the title that follows it.
constexpr std::string_view k_erase = "\r\x1b[0K";
constexpr std::string_view k_red = "\x1b[31;1m";
constexpr std::string_view k_reset = "\x1b[0m";
constexpr std::size_t k_max_name_tag = 64;

// A workflow command's message: % CR LF escaped, as GitHub reads them back.
std::string escape_data(std::string_view text)
{
  std::string escaped;
  for (const char c : text) {
    switch (c) {
    case '%':
      escaped += "%25";
      break;
    case '\r':
      escaped += "%0D";
      break;
    case '\n':
      escaped += "%0A";
      break;
    default:
      escaped += c;
    }
  }
  return escaped;
}

// A workflow command's property value: its message's escapes, and : and ,
// which end a property.
std::string escape_property(std::string_view text)
{
  std::string escaped;
  for (const char c : escape_data(text)) {
    if (c == ':') {
      escaped += "%3A";
    } else if (c == ',') {
      escaped += "%2C";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// Text on one line of GitLab's log: a CR or LF would end it early.
std::string one_line(std::string_view text)
{
  std::string line(text);
  for (char& c : line) {
    if (c == '\r' || c == '\n') {
      c = ' ';
    }
  }
  return line;
}

std::string unix_seconds(WallClock::time_point when)
{
  return std::to_string(
    std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
}

} // namespace

CiPlatform ci_platform_from_environment()
{
  const char* github = std::getenv("GITHUB_ACTIONS");
  if (github != nullptr && std::string_view(github) == "true") {
    return CiPlatform::github;
  }
  return std::getenv("GITLAB_CI") != nullptr ? CiPlatform::gitlab : CiPlatform::none;
}

std::string fold_start(CiPlatform ci, std::string_view name, std::string_view title,
                       WallClock::time_point start)
{
  switch (ci) {
  case CiPlatform::github:
    return "::group::" + escape_data(title) + "\n";
  case CiPlatform::gitlab:
    return "section_start:" + unix_seconds(start) + ":" + std::string(name) + "[collapsed=true]" +
           std::string(k_erase) + one_line(title) + "\n";
  case CiPlatform::none:
    break;
  }
  return {};
}

std::string fold_end(CiPlatform ci, std::string_view name, WallClock::time_point end)
{
  switch (ci) {
  case CiPlatform::github:
    return "::endgroup::\n";
  case CiPlatform::gitlab:
    return "section_end:" + unix_seconds(end) + ":" + std::string(name) + std::string(k_erase) +
           "\n";
  case CiPlatform::none:
    break;
  }
  return {};
}

std::string section_name(std::uint64_t process, std::uint64_t block, std::string_view tag)
{
  std::string name = "fanout_" + std::to_string(process) + "_" + std::to_string(block) + "_";
  for (const char c : tag.substr(0, k_max_name_tag)) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
    name += safe ? c : '_';
  }
  return name;
}

std::string failure_annotation(CiPlatform ci, std::string_view job, std::string_view what)
{
  const std::string message = std::string(job) + " " + std::string(what);
  switch (ci) {
  case CiPlatform::github:
    return "::error title=" + escape_property("fanout: " + std::string(job)) +
           "::" + escape_data(message) + "\n";
  case CiPlatform::gitlab:
    return std::string(k_red) + "fanout: " + one_line(message) + std::string(k_reset) + "\n";
  case CiPlatform::none:
    break;
  }
  return {};
}

} // namespace fanout
