// SPDX-License-Identifier: MIT
#include "report/log_names.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace fanout {

namespace {

constexpr std::string_view k_extension = ".log";
constexpr std::size_t k_max_file_name = 255; // NAME_MAX of Linux file systems
constexpr std::size_t k_hash_digits = 8;
// ".4294967295": the longest retry suffix.
constexpr std::size_t k_max_attempt_suffix = 2 + std::numeric_limits<unsigned>::digits10;
// A name with its retry suffix and extension always fits.
constexpr std::size_t k_max_stem = k_max_file_name - k_extension.size() - k_max_attempt_suffix;

// The bytes a file name keeps: portable file names (POSIX), which also
// leaves out every character that artifact stores and shells treat apart.
bool is_kept(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// A name that starts like a hidden file or like an option.
bool has_bad_start(std::string_view name)
{
  return name.empty() || name.front() == '.' || name.front() == '-';
}

// "v1.2": it would read as job "v1"'s second attempt.
bool ends_like_attempt(std::string_view name)
{
  const std::size_t last = name.find_last_not_of("0123456789");
  return last != std::string_view::npos && last + 1 < name.size() && name[last] == '.';
}

// "build-0123abcd": it would read as a changed name with its hash.
bool ends_like_hash(std::string_view name)
{
  if (name.size() <= k_hash_digits) {
    return false;
  }
  const std::string_view digits = name.substr(name.size() - k_hash_digits);
  return name[name.size() - k_hash_digits - 1] == '-' &&
         std::all_of(digits.begin(), digits.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Whether `name` can be the file's name as it is: no file name made any
// other way can then be the same.
bool is_plain(std::string_view name)
{
  return name.size() <= k_max_stem && !has_bad_start(name) &&
         std::all_of(name.begin(), name.end(), is_kept) && !ends_like_attempt(name) &&
         !ends_like_hash(name);
}

// "-3f0c9a1e": 64-bit FNV-1a of `name`, folded to 32 bits. Fixed here, not
// std::hash, so that a name gives the same file in every build.
std::string hash_suffix(std::string_view name)
{
  std::uint64_t hash = 0xcbf29ce484222325u;
  for (const char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3u;
  }
  char text[k_hash_digits + 2];
  std::snprintf(text, sizeof text, "-%08x",
                static_cast<unsigned>((hash ^ (hash >> 32)) & 0xffffffffu));
  return text;
}

} // namespace

std::string log_file_name(std::string_view job_name, unsigned attempt)
{
  std::string name;
  if (is_plain(job_name)) {
    name = job_name;
  } else {
    name = job_name.substr(0, k_max_stem - 1 - k_hash_digits);
    for (char& c : name) {
      c = is_kept(c) ? c : '_';
    }
    if (name.empty()) {
      name.push_back('_');
    } else if (has_bad_start(name)) {
      name.front() = '_';
    }
    name += hash_suffix(job_name);
  }
  if (attempt > 1) {
    name.append(".").append(std::to_string(attempt));
  }
  name.append(k_extension);
  return name;
}

} // namespace fanout
