// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_values.hpp"

#include "error.hpp"
#include "jobfile/duration.hpp"
#include "jobfile/jobfile_errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <linux/magic.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <system_error>
#include <unistd.h>

namespace fanout {

namespace {

constexpr std::size_t k_max_name_length = 128;
// `-f -`: the job file is fanout's stdin, which messages call "<stdin>".
constexpr std::string_view k_stdin_path = "-";
constexpr std::string_view k_stdin_name = "<stdin>";
// A job file this big is a mistake (`-f /dev/zero`); stop before memory runs out.
constexpr std::size_t k_max_file_bytes = 64 * 1024 * 1024;

// Whether `path` reaches its file through a link in /proc: /dev/stdin,
// /dev/fd/N and /proc/self/fd/N name an open file descriptor, whatever the
// file behind it, and the folder they are in is not the job file's.
bool is_descriptor_link(std::filesystem::path path)
{
  // Symbolic links further than this fail to open anyway (ELOOP).
  constexpr int k_max_links = 40;
  for (int links = 0; links <= k_max_links; ++links) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
    struct statfs filesystem {};
    if (::statfs(folder.c_str(), &filesystem) == 0 && filesystem.f_type == PROC_SUPER_MAGIC) {
      return true;
    }
    std::error_code error;
    const std::filesystem::path target = std::filesystem::read_symlink(path, error);
    if (error) {
      return false;
    }
    path = target.is_absolute() ? target : folder / target;
  }
  return false;
}

} // namespace

JobFileText read_file(const std::string& path)
{
  const bool is_stdin = path == k_stdin_path;
  JobFileText job_file;
  job_file.name = is_stdin ? k_stdin_name : path;
  const auto cannot_read = [&job_file](int error) {
    return Error(
      format_jobfile_error(job_file.name, {}, {},
                           "cannot read the job file: " + std::generic_category().message(error)));
  };
  struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  // stdin through a copy of its descriptor, which closing the file closes.
  const int stdin_copy = is_stdin ? ::dup(STDIN_FILENO) : -1;
  const std::unique_ptr<std::FILE, CloseFile> file(
    is_stdin ? (stdin_copy >= 0 ? ::fdopen(stdin_copy, "rb") : nullptr)
             : std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int error = errno;
    if (stdin_copy >= 0) {
      ::close(stdin_copy);
    }
    throw cannot_read(error);
  }
  std::string& text = job_file.text;
  // Sized once for a regular file; a pipe or /proc file grows as it is read.
  struct stat info {};
  const bool is_regular = fstat(fileno(file.get()), &info) == 0 && S_ISREG(info.st_mode);
  if (is_regular && info.st_size > 0 &&
      static_cast<std::size_t>(info.st_size) <= k_max_file_bytes) {
    text.reserve(static_cast<std::size_t>(info.st_size));
  }
  job_file.read_once = is_stdin || !is_regular;
  if (is_stdin || !is_regular || is_descriptor_link(path)) {
    job_file.base = PathBase::current_folder;
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
  return job_file;
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

std::string invalid_name_message(std::string_view name)
{
  return concat("name ", quote_for_message(name),
                " is not valid: use 1 to 128 letters, digits and _ . - : + @");
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

std::string paths_folder(const std::string& jobfile_path, PathBase base)
{
  // The folder of "ci.toml" is "": the current one, as is a pipe's.
  return base == PathBase::jobfile_folder
           ? std::filesystem::path(jobfile_path).parent_path().string()
           : std::string();
}

std::string resolve_path(const std::string& path, const std::string& folder)
{
  if (std::filesystem::path(path).is_absolute()) {
    return path;
  }
  // A relative folder "" (the current one) / "sub" is "sub": what it should be.
  std::filesystem::path resolved = (std::filesystem::path(folder) / path).lexically_normal();
  // "sub/." normalises to "sub/"; "sub" names the same folder and reads better.
  if (!resolved.has_filename() && resolved.has_relative_path()) {
    resolved = resolved.parent_path();
  }
  return resolved.string();
}

std::string resolve_library(const std::string& library, const std::string& folder)
{
  std::string resolved = resolve_path(library, folder);
  if (resolved.find('/') == std::string::npos) {
    resolved.insert(0, "./");
  }
  return resolved;
}

std::vector<Entry> entries_in_file_order(const toml::table& table)
{
  std::vector<Entry> entries;
  for (auto&& [key, node] : table) {
    entries.emplace_back(&key, &node);
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    const toml::source_position& first = a.first->source().begin;
    const toml::source_position& second = b.first->source().begin;
    return first.line != second.line ? first.line < second.line : first.column < second.column;
  });
  return entries;
}

std::string_view type_phrase(const toml::node& node)
{
  switch (node.type()) {
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a float";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::table:
    return "a table";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

SourcePoint ValueReader::in_file(const toml::source_position& position) const
{
  // toml++ gives every node it parsed a position; a missing one is line 0,
  // which gives a message without a location rather than a wrong one.
  if (position.line == 0) {
    return {};
  }
  return {position.line + m_lines_before, position.column};
}

void ValueReader::fail(const toml::source_position& where, std::string_view what) const
{
  fail(in_file(where), what);
}

void ValueReader::fail(SourcePoint where, std::string_view what) const
{
  const std::string message = m_subject.empty() ? std::string(what) : concat(m_subject, ": ", what);
  throw Error(format_jobfile_error(m_path, m_text, where, message));
}

std::string ValueReader::read_string(const toml::node& node, std::string_view field,
                                     Empty empty) const
{
  const std::string& text = require<std::string>(node, concat(field, " must be a string")).get();
  if (empty == Empty::refused && text.empty()) {
    fail(node.source().begin, concat(field, " is empty"));
  }
  // execve takes C strings: a NUL would silently cut the value short.
  if (contains_nul(text)) {
    fail(node.source().begin, concat(field, " contains a NUL byte"));
  }
  return text;
}

std::vector<std::string> ValueReader::read_strings(const toml::node& node, std::string_view field,
                                                   Empty first) const
{
  const auto& array = require<toml::array>(node, concat(field, " must be an array of strings"));
  if (first == Empty::refused && array.empty()) {
    fail(node.source().begin, concat(field, " is empty"));
  }
  std::vector<std::string> strings;
  strings.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string element = concat(field, "[", std::to_string(i), "]");
    strings.push_back(read_string(*array.get(i), element, i == 0 ? first : Empty::allowed));
  }
  return strings;
}

void ValueReader::read_call(const toml::node& node, CallSpec& call) const
{
  const std::string target = read_string(node, "call", Empty::refused);
  const std::size_t colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) {
    fail(node.source().begin,
         concat("call ", quote_for_message(target), " is not \"path/to/library.so:symbol\""));
  }
  call.library = target.substr(0, colon);
  call.symbol = target.substr(colon + 1);
  if (!is_c_identifier(call.symbol)) {
    fail(node.source().begin, concat("call ", quote_for_message(target), ": symbol ",
                                     quote_for_message(call.symbol), " is not a C identifier"));
  }
}

void ValueReader::read_env(const toml::node& node, JobEnvironment::List& env) const
{
  const auto& table = require<toml::table>(node, "env must be a table");
  for (const auto& [key, value] : entries_in_file_order(table)) {
    const std::string_view name = key->str();
    if (name.empty() || name.find('=') != std::string_view::npos || contains_nul(name)) {
      fail(key->source().begin,
           concat("env key ", quote_for_message(name), " is not a variable name"));
    }
    const std::string field = concat("env.", key_for_message(name));
    env.emplace_back(name, read_string(*value, field, Empty::allowed));
  }
}

Duration ValueReader::read_duration(const toml::node& node, std::string_view field) const
{
  if (const toml::value<std::string>* text = node.as_string()) {
    if (const std::optional<Duration> duration = parse_duration(text->get())) {
      return *duration;
    }
    std::string what = concat(field, " ", quote_for_message(text->get()), " is not a duration");
    if (is_negative_duration(text->get())) {
      what += k_cannot_be_negative;
    } else if (const std::string hint = suggest_duration(text->get()); !hint.empty()) {
      what += concat(" (try ", quote_for_message(hint), ")");
    }
    fail(node.source().begin, what);
  }
  double seconds = 0;
  if (const toml::value<std::int64_t>* integer = node.as_integer()) {
    seconds = static_cast<double>(integer->get());
  } else {
    const std::string must_be =
      concat(field, " must be a duration like \"30s\" or a number of seconds");
    seconds = require<double>(node, must_be).get();
  }
  const std::optional<Duration> duration = duration_from_seconds(seconds);
  if (!duration) {
    fail(node.source().begin, concat(field, " ", as_written(node), " is not a duration",
                                     seconds < 0 ? k_cannot_be_negative : ""));
  }
  return *duration;
}

std::string ValueReader::as_written(const toml::node& node) const
{
  const toml::source_region& region = node.source();
  std::string written(source_slice(m_text, in_file(region.begin), in_file(region.end)));
  if (written.empty()) {
    const toml::value<std::int64_t>* integer = node.as_integer();
    written = integer ? std::to_string(integer->get()) : std::to_string(node.value_or(0.0));
  }
  return written;
}

} // namespace fanout
