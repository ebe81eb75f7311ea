// SPDX-License-Identifier: MIT
#include "jobfile_values.hpp"

#include "fanout/error.hpp"
#include "jobfile_errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sys/stat.h>
#include <system_error>

namespace fanout {

namespace {

constexpr std::size_t k_max_name_length = 128;
// A job file this big is a mistake (`-f /dev/zero`); stop before memory runs out.
constexpr std::size_t k_max_file_bytes = 64 * 1024 * 1024;

} // namespace

std::string read_file(const std::string& path)
{
  const auto cannot_read = [&path](int error) {
    return Error(format_jobfile_error(
        path, {}, {},
        "cannot read the job file: " + std::generic_category().message(error)));
  };
  struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw cannot_read(errno);
  }
  std::string text;
  // Sized once for a regular file; a pipe or /proc file grows as it is read.
  struct stat info {};
  if (fstat(fileno(file.get()), &info) == 0 && info.st_size > 0 &&
      static_cast<std::size_t>(info.st_size) <= k_max_file_bytes) {
    text.reserve(static_cast<std::size_t>(info.st_size));
  }
  char buffer[64 * 1024];
  while (const std::size_t count = std::fread(buffer, 1, sizeof buffer, file.get())) {
    text.append(buffer, count);
    if (text.size() > k_max_file_bytes) {
      throw cannot_read(EFBIG);
    }
  }
  // A folder opens fine; reading it is what fails, with EISDIR.
  if (std::ferror(file.get())) {
    throw cannot_read(errno);
  }
  return text;
}

bool is_valid_name(std::string_view name)
{
  const auto is_allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_.-:+@").find(c) != std::string_view::npos;
  };
  return !name.empty() && name.size() <= k_max_name_length &&
         std::all_of(name.begin(), name.end(), is_allowed);
}

bool contains_nul(std::string_view text)
{
  return text.find('\0') != std::string_view::npos;
}

bool is_c_identifier(std::string_view text)
{
  const auto is_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  return !text.empty() && is_letter(text.front()) &&
         std::all_of(text.begin() + 1, text.end(),
                     [&is_letter](char c) { return is_letter(c) || (c >= '0' && c <= '9'); });
}

std::string resolve_path(const std::string& path, const std::string& jobfile_path)
{
  if (std::filesystem::path(path).is_absolute()) {
    return path;
  }
  // The folder of "ci.toml" is "", and "" / "sub" is "sub": what it should be.
  const std::filesystem::path folder = std::filesystem::path(jobfile_path).parent_path();
  std::filesystem::path resolved = (folder / path).lexically_normal();
  // "sub/." normalises to "sub/"; "sub" names the same folder and reads better.
  if (!resolved.has_filename() && resolved.has_relative_path()) {
    resolved = resolved.parent_path();
  }
  return resolved.string();
}

std::string resolve_library(const std::string& library, const std::string& jobfile_path)
{
  std::string resolved = resolve_path(library, jobfile_path);
  if (resolved.find('/') == std::string::npos) {
    resolved.insert(0, "./");
  }
  return resolved;
}

} // namespace fanout
