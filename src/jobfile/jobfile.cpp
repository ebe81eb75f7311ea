// SPDX-License-Identifier: MIT
#include "jobfile/jobfile.hpp"

#include "error.hpp"
#include "jobfile/jobfile_errors.hpp"
#include "jobfile/jobfile_groups.hpp"
#include "jobfile/jobfile_hosts.hpp"
#include "jobfile/jobfile_keys.hpp"
#include "jobfile/jobfile_lifecycle.hpp"
#include "jobfile/jobfile_sections.hpp"
#include "jobfile/jobfile_values.hpp"
#include "jobfile/toml.hpp"

#include <algorithm>
#include <iterator>
#include <malloc.h>
#include <memory>
#include <optional>
#include <utility>

namespace fanout {
namespace {

// Jobs taken from a TOML tree between two releases of its memory.
constexpr std::size_t k_release_batch = 512;

const std::string k_default_cwd = ".";

using Environment = JobEnvironment::List;

// What [defaults] and a job may both set.
struct Settings {
  std::optional<std::string> cwd;
  Environment env;
  std::optional<Duration> timeout;
  std::optional<Duration> grace;
};

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
  Parser(std::string_view text, const std::string& path, PathBase base)
      : m_text(text), m_path(path), m_folder(paths_folder(path, base)), m_values(text, path),
        m_pools(m_values), m_lifecycle(m_values, m_pools)
  {
  }

  JobFile parse()
  {
    const JobFileSections sections(m_text);
    m_file.path = m_path;
    // Growing by doubling would hold up to three times the jobs at the peak.
    m_file.jobs.reserve(sections.job_count());
    // [defaults] and [pools] first, wherever they are: every job inherits
    // the one and may name the other.
    std::vector<JobFileSection> ahead;
    for (const auto* first : {&sections.defaults(), &sections.pools()}) {
      if (*first) {
        ahead.push_back(**first);
      }
    }
    std::sort(ahead.begin(), ahead.end(),
              [](const auto& a, const auto& b) { return a.begin < b.begin; });
    for (const JobFileSection& first : ahead) {
      read_ahead(sections, first);
    }
    sections.for_each([this](const JobFileSection& section) {
      if (section.kind == JobFileSection::Kind::job ||
          section.kind == JobFileSection::Kind::whole) {
        read_section(section);
      }
    });
    if (m_problem) {
      throw *m_problem;
    }
    if (m_file.jobs.empty()) {
      m_values.fail(SourcePoint{1, 1}, "no jobs: add a [[job]] table");
    }
    m_lifecycle.resolve_needs(m_file.jobs, m_names);
    return std::move(m_file);
  }

private:
  // The tree of `section`, or toml++'s error, located in the file.
  toml::table parse_section(const JobFileSection& section)
  {
    m_values.set_first_line(section.first_line);
    std::string_view text = section.text_in(m_text);
    if (section.end < m_text.size()) {
      // After a quote at the end of a line, toml++ looks at two more
      // characters to tell `"""` from `"`: where the file goes on, a
      // section must not end there.
      m_section_text.assign(text).push_back('\n');
      text = m_section_text;
    }
    try {
      return toml::parse(text);
    } catch (const toml::parse_error& error) {
      m_values.set_subject({});
      m_values.fail(error.source().begin, error.description());
    }
  }

  // Reads `first`, a section read before the jobs. A TOML error in it comes
  // after those of the sections before it, as in the file.
  void read_ahead(const JobFileSections& sections, const JobFileSection& first)
  {
    try {
      read_section(first);
    } catch (const Error&) {
      sections.for_each([&first, this](const JobFileSection& section) {
        if (section.begin < first.begin) {
          parse_section(section);
        }
      });
      throw;
    }
  }

  // Reads the jobs of `section`, or its defaults or pools. An invalid TOML file is
  // reported as such whatever else is wrong in it, as it was when the file
  // was parsed whole: after the first other problem, which is kept in
  // `m_problem`, the sections left are only parsed.
  void read_section(const JobFileSection& section)
  {
    toml::table root = parse_section(section);
    if (m_problem) {
      return;
    }
    try {
      read_root(root);
    } catch (const Error& problem) {
      m_problem = problem;
    }
  }

  void read_root(toml::table& root)
  {
    check_top_level(root);
    if (const toml::table* table = root.get_as<toml::table>("defaults")) {
      m_values.set_subject("defaults");
      m_defaults = parse_defaults(*table);
      m_groups.inherit(*table);
      m_default_env = JobEnvironment(m_defaults.env);
      m_values.set_subject({});
    }
    if (const toml::table* table = root.get_as<toml::table>("pools")) {
      m_values.set_subject("pools");
      m_pools.read_table(*table);
      m_file.pools = m_pools.pools();
      m_values.set_subject({});
    }
    toml::array* jobs = root.get_as<toml::array>("job");
    if (!jobs) {
      return;
    }
    m_file.jobs.reserve(m_file.jobs.size() + jobs->size());
    // A file parsed whole has a tree that outweighs its jobs: release it
    // batch by batch as the jobs are taken, and give the freed pages back,
    // so that the two are never held whole at once.
    const std::size_t count = jobs->size();
    std::size_t released = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const toml::table& job = *jobs->get(i - released)->as_table();
      m_file.jobs.push_back(parse_job(job, m_file.jobs.size()));
      m_names.add(m_file.jobs.size() - 1, m_name_line);
      if (i + 1 - released == k_release_batch) {
        jobs->erase(jobs->cbegin(), jobs->cbegin() + k_release_batch);
        released += k_release_batch;
        malloc_trim(0);
      }
    }
  }

  void check_top_level(const toml::table& root)
  {
    constexpr std::string_view k_not_tables = "\"job\" must be an array of tables: write [[job]]";
    for (const auto& [key, node] : entries_in_file_order(root)) {
      if (key->str() == "job") {
        const toml::array* jobs = node->as_array();
        if (!jobs) {
          m_values.fail(node->source().begin, k_not_tables);
        }
        if (jobs->empty()) {
          m_values.fail(node->source().begin, "no jobs: add a [[job]] table");
        }
        for (const toml::node& job : *jobs) {
          if (!job.is_table()) {
            m_values.fail(job.source().begin, k_not_tables);
          }
        }
      } else if (key->str() == "hosts") {
        m_file.hosts = read_hosts(*node, m_values);
      } else if (key->str() == "defaults" || key->str() == "pools") {
        if (!node->is_table()) {
          m_values.fail(node->source().begin,
                        concat("\"", key->str(), "\" must be a table: write [", key->str(), "]"));
        }
      } else {
        m_values.fail(key->source().begin, unknown_key_message(key->str(), k_top_level_keys));
      }
    }
  }

  Settings parse_defaults(const toml::table& table) const
  {
    Settings defaults;
    for (const auto& [key, node] : entries_in_file_order(table)) {
      if (!read_setting(key->str(), *node, defaults)) {
        m_values.fail(key->source().begin, unknown_key_message(key->str(), k_default_keys));
      }
    }
    return defaults;
  }

  JobSpec parse_job(const toml::table& table, std::size_t index)
  {
    const Settings& defaults = m_defaults;
    JobSpec job;
    job.name = take_name(table, index);
    // The key that says what the job runs: "cmd", "argv" or "call".
    std::string_view command;
    const toml::key* args_key = nullptr;
    CallSpec call;
    Settings own;
    for (const auto& [key, node] : entries_in_file_order(table)) {
      const std::string_view name = key->str();
      if (name == "cmd" || name == "argv" || name == "call") {
        if (!command.empty()) {
          m_values.fail(key->source().begin, two_commands_message(command, name));
        }
        command = name;
        if (name == "cmd") {
          job.cmd = m_values.read_string(*node, name, Empty::refused);
        } else if (name == "argv") {
          job.argv = m_values.read_strings(*node, name, Empty::refused);
        } else {
          m_values.read_call(*node, call);
        }
      } else if (name == "args") {
        args_key = key;
        call.args = m_values.read_strings(*node, name, Empty::allowed);
      } else if (LifecycleReader::reads(name)) {
        m_lifecycle.read(*key, *node);
      } else if (GroupReader::reads(name)) {
        m_groups.read(*key, *node);
      } else if (name != "name" && !read_setting(name, *node, own)) {
        m_values.fail(key->source().begin, unknown_key_message(key->str(), k_job_keys));
      }
      // Found when the second of the two keys is read, and shown at args
      // whichever came first.
      if (args_key && (command == "cmd" || command == "argv")) {
        m_values.fail(args_key->source().begin,
                      concat("args is for call jobs; put the arguments in ", command));
      }
    }
    if (command.empty()) {
      m_values.fail(table.source().begin, "no command: set cmd, argv or call");
    }
    if (command == "call") {
      job.call = shared_call(std::move(call));
    }
    job.lifecycle = m_lifecycle.finish_job(index, m_groups.group_key(), command);
    const std::string& cwd = own.cwd ? *own.cwd : defaults.cwd ? *defaults.cwd : k_default_cwd;
    job.cwd = m_cwds.resolve(cwd, m_folder);
    if (own.env.empty()) {
      job.env = m_default_env;
    } else {
      Environment env = defaults.env;
      env.insert(env.end(), own.env.begin(), own.env.end());
      job.env = JobEnvironment(std::move(env));
    }
    // A service runs as long as the work needs it: [defaults] and
    // --timeout are for the work, not for daemons.
    const bool daemon = job.lifecycle && job.lifecycle->daemon;
    job.timeout = own.timeout ? own.timeout : daemon ? Duration::zero() : defaults.timeout;
    job.grace = own.grace ? own.grace : defaults.grace;
    job.group = m_groups.finish_job(table, cwd, job);
    return job;
  }

  // The job's call, as written (its library not yet resolved): shared with
  // the job before when that one calls the same, as the jobs of a generated
  // file do, each of which would otherwise hold its own copy.
  std::shared_ptr<const CallSpec> shared_call(CallSpec call)
  {
    if (!m_last_call || call.library != m_last_written_library ||
        call.symbol != m_last_call->symbol || call.args != m_last_call->args) {
      m_last_written_library = call.library;
      call.library = m_libraries.resolve(call.library, m_folder).str();
      m_last_call = std::make_shared<const CallSpec>(std::move(call));
    }
    return m_last_call;
  }

  // The job's name, explicit or `job-N`, checked and taken; for a group
  // whose name holds placeholders, the text before them. Sets the subject
  // that the job's other problems are reported under.
  std::string take_name(const toml::table& table, std::size_t index)
  {
    std::string name = concat("job-", std::to_string(index + 1));
    toml::source_position where = table.source().begin;
    if (const toml::node* node = table.get("name")) {
      // The name itself may be the problem, so the job goes by its number.
      m_values.set_subject(concat("job ", std::to_string(index + 1)));
      const std::string& text = m_values.require<std::string>(*node, "name must be a string").get();
      if (text.find('{') != std::string::npos && GroupReader::is_group(table)) {
        name = m_groups.group_name(*node, text);
      } else if (!is_valid_name(text)) {
        m_values.fail(node->source().begin, invalid_name_message(text));
      } else {
        name = text;
      }
      where = node->source().begin;
    }
    m_values.set_subject(concat("job ", quote_for_message(name)));
    if (const std::optional<TakenName> first = m_names.find(name)) {
      m_values.fail(
        where, concat("duplicate name (first used at line ", std::to_string(first->line), ")"));
    }
    m_name_line = m_values.in_file(where).line;
    return name;
  }

  // Reads `key` into `settings` when it is one of the keys [defaults] and
  // jobs share; false for any other key.
  bool read_setting(std::string_view key, const toml::node& node, Settings& settings) const
  {
    if (key == "timeout") {
      settings.timeout = m_values.read_duration(node, key);
    } else if (key == "grace") {
      settings.grace = m_values.read_duration(node, key);
    } else if (key == "env") {
      m_values.read_env(node, settings.env);
    } else if (key == "cwd") {
      settings.cwd = m_values.read_string(node, key, Empty::refused);
    } else {
      return false;
    }
    return true;
  }

  std::string_view m_text;
  const std::string& m_path;
  std::string m_folder; // what relative paths are taken from (`paths_folder`)
  ValueReader m_values;
  PoolReader m_pools;
  LifecycleReader m_lifecycle;
  GroupReader m_groups{m_values, m_text, m_folder};
  Settings m_defaults;
  JobEnvironment m_default_env; // shared by the jobs that add none of their own
  LastPath m_cwds{resolve_path};
  LastPath m_libraries{resolve_library};
  std::shared_ptr<const CallSpec> m_last_call;
  std::string m_last_written_library; // m_last_call's library as written
  std::string m_section_text;         // a section's text, as toml++ is given it
  JobFile m_file;                     // the jobs read so far
  // Each name taken so far, the job that took it and where; and where the
  // name of the job being read is, which it takes once read.
  JobNames m_names{m_file.jobs};
  std::size_t m_name_line = 0;
  std::optional<Error> m_problem; // the first problem found that is not TOML's
};

} // namespace

JobFile parse_jobfile(std::string_view text, const std::string& path, PathBase base)
{
  return Parser(text, path, base).parse();
}

JobFile load_jobfile(const std::string& path, std::optional<std::string>* read_once_text)
{
  const JobFileText file = read_file(path);
  JobFile jobs = parse_jobfile(file.text, file.name, file.base);
  if (file.read_once && read_once_text != nullptr) {
    *read_once_text = file.text;
  }
  if (path != "-") {
    return jobs;
  }
  for (const JobSpec& job : jobs.jobs) {
    if (!job.group) {
      continue;
    }
    for (const InputSourceSpec& source : job.group->sources) {
      if (source.kind == InputSourceSpec::Kind::lines && source.path == "-") {
        throw Error(concat(file.name, ": error: job \"", job.name,
                           "\" reads its inputs from stdin, which the job file was read from"));
      }
    }
  }
  return jobs;
}

} // namespace fanout
