// SPDX-License-Identifier: MIT
#include "fanout/jobfile.hpp"

#include "fanout/duration.hpp"
#include "fanout/error.hpp"
#include "jobfile_errors.hpp"
#include "jobfile_values.hpp"
#include "toml.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <malloc.h>
#include <memory>
#include <span>
#include <system_error>
#include <sys/stat.h>
#include <unordered_map>
#include <utility>

namespace fanout {
namespace {

constexpr std::string_view k_top_level_keys[] = {"defaults", "job"};
constexpr std::string_view k_default_keys[] = {"timeout", "grace", "env", "cwd"};
// The implemented keys, then those DESIGN §2 plans. A misspelling of either
// gets a suggestion; a planned key itself is refused by name, never ignored.
constexpr std::string_view k_job_keys[] = {
    "name", "cmd",    "argv",  "cwd",   "env",     "timeout",     "grace",        "call",
    "args", "daemon", "ready", "needs", "retries", "retry_delay", "allow_failure"};
constexpr std::size_t k_implemented_job_key_count = 9;
// Jobs taken from the TOML tree between two releases of its memory.
constexpr std::size_t k_release_batch = 512;

using Environment = std::vector<std::pair<std::string, std::string>>;

// What [defaults] and a job may both set.
struct Settings {
  std::optional<std::string> cwd;
  Environment env;
  std::optional<Duration> timeout;
  std::optional<Duration> grace;
};

enum class Empty { allowed, refused };

template <class... Parts> std::string concat(const Parts&... parts)
{
  std::string out;
  (out.append(parts), ...);
  return out;
}

// toml++ gives every node it parsed a position; a missing one would be line
// 0, which gives a message without a location rather than a wrong one.
SourcePoint point_of(const toml::source_position& position)
{
  return {position.line, position.column};
}

using Entry = std::pair<const toml::key*, const toml::node*>;

// A table's entries in the order the file has them. toml++ keeps them sorted
// by key, but the first problem in reading order is the one to report, and
// "cmd and argv are both set" points at whichever comes second.
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

// "cmd and call are both set; keep one": the keys named in the order of
// `k_job_keys`, whichever the file gives first.
std::string two_commands_message(std::string_view first, std::string_view second)
{
  const auto rank = [](std::string_view key) {
    return std::find(std::begin(k_job_keys), std::end(k_job_keys), key) - std::begin(k_job_keys);
  };
  if (rank(second) < rank(first)) {
    std::swap(first, second);
  }
  return concat(first, " and ", second, " are both set; keep one");
}

// Turns the TOML tree into jobs, one check at a time, and throws at the first
// problem.
class Parser {
public:
  Parser(std::string_view text, const std::string& path) : m_text(text), m_path(path) {}

  JobFile parse()
  {
    toml::table root;
    try {
      root = toml::parse(m_text, std::string_view(m_path));
    } catch (const toml::parse_error& error) {
      fail(error.source().begin, error.description());
    }
    check_top_level(root);
    Settings defaults;
    if (const toml::table* table = root.get_as<toml::table>("defaults")) {
      m_label = "defaults";
      defaults = parse_defaults(*table);
      m_label.clear();
    }
    toml::array* jobs = root.get_as<toml::array>("job");
    if (!jobs) {
      fail({1, 1}, "no jobs: add a [[job]] table");
    }
    JobFile file;
    file.path = m_path;
    // Growing by doubling would hold up to three times the jobs at the peak.
    file.jobs.reserve(jobs->size());
    // The tree of a big file outweighs its jobs: release it batch by batch
    // as the jobs are taken, and give the freed pages back, so that the two
    // are never held whole at once.
    const std::size_t count = jobs->size();
    std::size_t released = 0;
    for (std::size_t i = 0; i < count; ++i) {
      file.jobs.push_back(parse_job(*jobs->get(i - released)->as_table(), i, defaults));
      if (i + 1 - released == k_release_batch) {
        jobs->erase(jobs->cbegin(), jobs->cbegin() + k_release_batch);
        released += k_release_batch;
        malloc_trim(0);
      }
    }
    return file;
  }

private:
  [[noreturn]] void fail(const toml::source_position& where, std::string_view what) const
  {
    const std::string message = m_label.empty() ? std::string(what) : concat(m_label, ": ", what);
    throw Error(format_jobfile_error(m_path, m_text, point_of(where), message));
  }

  // `node` as a `T` (toml++'s node types, or `std::string`), or the error
  // "<must_be>, not <what it is>".
  template <class T> const auto& require(const toml::node& node, std::string_view must_be) const
  {
    const auto* typed = node.as<T>();
    if (!typed) {
      fail(node.source().begin, concat(must_be, ", not ", type_phrase(node)));
    }
    return *typed;
  }

  void check_top_level(const toml::table& root) const
  {
    constexpr std::string_view k_not_tables = "\"job\" must be an array of tables: write [[job]]";
    for (const auto& [key, node] : entries_in_file_order(root)) {
      if (key->str() == "job") {
        const toml::array* jobs = node->as_array();
        if (!jobs) {
          fail(node->source().begin, k_not_tables);
        }
        if (jobs->empty()) {
          fail(node->source().begin, "no jobs: add a [[job]] table");
        }
        for (const toml::node& job : *jobs) {
          if (!job.is_table()) {
            fail(job.source().begin, k_not_tables);
          }
        }
      } else if (key->str() == "defaults") {
        if (!node->is_table()) {
          fail(node->source().begin, "\"defaults\" must be a table: write [defaults]");
        }
      } else {
        fail(key->source().begin, unknown_key_message(key->str(), k_top_level_keys));
      }
    }
  }

  Settings parse_defaults(const toml::table& table) const
  {
    Settings defaults;
    for (const auto& [key, node] : entries_in_file_order(table)) {
      if (!read_setting(key->str(), *node, defaults)) {
        fail(key->source().begin, unknown_key_message(key->str(), k_default_keys));
      }
    }
    return defaults;
  }

  JobSpec parse_job(const toml::table& table, std::size_t index, const Settings& defaults)
  {
    JobSpec job;
    job.name = take_name(table, index);
    const auto planned_keys = std::span(k_job_keys).subspan(k_implemented_job_key_count);
    // The key that says what the job runs: "cmd", "argv" or "call".
    std::string_view command;
    const toml::key* args_key = nullptr;
    CallSpec call;
    Settings own;
    for (const auto& [key, node] : entries_in_file_order(table)) {
      const std::string_view name = key->str();
      if (name == "cmd" || name == "argv" || name == "call") {
        if (!command.empty()) {
          fail(key->source().begin, two_commands_message(command, name));
        }
        command = name;
        if (name == "cmd") {
          job.cmd = read_string(*node, name, Empty::refused);
        } else if (name == "argv") {
          job.argv = read_strings(*node, name, Empty::refused);
        } else {
          read_call(*node, call);
        }
      } else if (name == "args") {
        args_key = key;
        call.args = read_strings(*node, name, Empty::allowed);
      } else if (name != "name" && !read_setting(name, *node, own)) {
        if (std::find(planned_keys.begin(), planned_keys.end(), name) != planned_keys.end()) {
          fail(key->source().begin,
               concat("key ", quote_for_message(name), " is not supported yet"));
        }
        fail(key->source().begin, unknown_key_message(key->str(), k_job_keys));
      }
      // Found when the second of the two keys is read, and shown at args
      // whichever came first.
      if (args_key && (command == "cmd" || command == "argv")) {
        fail(args_key->source().begin,
             concat("args is for call jobs; put the arguments in ", command));
      }
    }
    if (command.empty()) {
      fail(table.source().begin, "no command: set cmd, argv or call");
    }
    if (command == "call") {
      call.library = resolve_library(call.library, m_path);
      job.call = std::make_shared<const CallSpec>(std::move(call));
    }
    job.cwd = resolve_path(own.cwd.value_or(defaults.cwd.value_or(".")), m_path);
    job.env = defaults.env;
    job.env.insert(job.env.end(), own.env.begin(), own.env.end());
    job.timeout = own.timeout ? own.timeout : defaults.timeout;
    job.grace = own.grace ? own.grace : defaults.grace;
    return job;
  }

  // The job's name, explicit or `job-N`, checked and taken. Sets the label
  // that the job's other problems are reported under.
  std::string take_name(const toml::table& table, std::size_t index)
  {
    std::string name = concat("job-", std::to_string(index + 1));
    toml::source_position where = table.source().begin;
    if (const toml::node* node = table.get("name")) {
      // The name itself may be the problem, so the job goes by its number.
      m_label = concat("job ", std::to_string(index + 1));
      const std::string& text = require<std::string>(*node, "name must be a string").get();
      if (!is_valid_name(text)) {
        fail(node->source().begin,
             concat("name ", quote_for_message(text),
                    " is not valid: use 1 to 128 letters, digits and _ . - : + @"));
      }
      name = text;
      where = node->source().begin;
    }
    m_label = concat("job ", quote_for_message(name));
    const auto [first, is_new] = m_name_lines.emplace(name, where.line);
    if (!is_new) {
      fail(where,
           concat("duplicate name (first used at line ", std::to_string(first->second), ")"));
    }
    return name;
  }

  // Reads `key` into `settings` when it is one of the keys [defaults] and
  // jobs share; false for any other key.
  bool read_setting(std::string_view key, const toml::node& node, Settings& settings) const
  {
    if (key == "timeout") {
      settings.timeout = read_duration(node, key);
    } else if (key == "grace") {
      settings.grace = read_duration(node, key);
    } else if (key == "env") {
      read_env(node, settings.env);
    } else if (key == "cwd") {
      settings.cwd = read_string(node, key, Empty::refused);
    } else {
      return false;
    }
    return true;
  }

  std::string read_string(const toml::node& node, std::string_view field, Empty empty) const
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

  // An array of strings, `argv` or `args`. With `Empty::refused`, neither
  // the array nor its first string (the program) may be empty; later
  // strings always may.
  std::vector<std::string> read_strings(const toml::node& node, std::string_view field,
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

  // `call = "lib/libseed.so:worker"` into `call`'s library (as written) and
  // symbol. The path ends at the last ':', since a symbol cannot hold one.
  void read_call(const toml::node& node, CallSpec& call) const
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

  void read_env(const toml::node& node, Environment& env) const
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

  Duration read_duration(const toml::node& node, std::string_view field) const
  {
    if (const toml::value<std::string>* text = node.as_string()) {
      if (const std::optional<Duration> duration = parse_duration(text->get())) {
        return *duration;
      }
      std::string what = concat(field, " ", quote_for_message(text->get()), " is not a duration");
      if (const std::string hint = suggest_duration(text->get()); !hint.empty()) {
        what += concat(" (try ", quote_for_message(hint), ")");
      }
      fail(node.source().begin, what);
    }
    std::optional<Duration> duration;
    if (const toml::value<std::int64_t>* integer = node.as_integer()) {
      duration = duration_from_seconds(static_cast<double>(integer->get()));
    } else {
      const std::string must_be =
          concat(field, " must be a duration like \"30s\" or a number of seconds");
      duration = duration_from_seconds(require<double>(node, must_be).get());
    }
    if (!duration) {
      // As the file spells it (`1_000`, `-inf`), which is what the user will
      // look for: toml++ would print a float with all its digits.
      const toml::source_region& region = node.source();
      std::string written(source_slice(m_text, point_of(region.begin), point_of(region.end)));
      if (written.empty()) {
        written = std::to_string(node.value_or(0.0));
      }
      fail(region.begin, concat(field, " ", written, " is not a duration"));
    }
    return *duration;
  }

  std::string_view m_text;
  const std::string& m_path;
  // What the current problem is about: `job "unit"`, `job 3` or `defaults`;
  // empty at the top level.
  std::string m_label;
  // Each name taken so far, and the line that took it.
  std::unordered_map<std::string, std::size_t> m_name_lines;
};

} // namespace

JobFile parse_jobfile(std::string_view text, const std::string& path)
{
  return Parser(text, path).parse();
}

JobFile load_jobfile(const std::string& path)
{
  return parse_jobfile(read_file(path), path);
}

std::optional<JobId> JobFile::find(std::string_view name) const
{
  for (JobId id = 0; id < jobs.size(); ++id) {
    if (jobs[id].name == name) {
      return id;
    }
  }
  return std::nullopt;
}

} // namespace fanout
