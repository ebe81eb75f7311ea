// SPDX-License-Identifier: MIT
// The keys that make a job a group, one job per input (fanout(1), INPUTS):
// `for_each` and `matrix`; and the checks of a group's templates. Only
// parsed and checked here: the jobs are made from the group at run time.
#pragma once

#include "inputs/template.hpp"
#include "jobfile/group.hpp"
#include "jobfile/job.hpp"
#include "jobfile/jobfile_errors.hpp"
#include "jobfile/jobfile_values.hpp"
#include "jobfile/toml.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// Reads the group keys of one job after another. Problems are reported
// through `values`, which the parser has set to the job being read.
class GroupReader {
public:
  // `text` is the job file's; `folder` is what its relative paths are
  // taken from (`paths_folder`). Keeps references to both.
  GroupReader(const ValueReader& values, std::string_view text, const std::string& folder)
      : m_values(values), m_text(text), m_folder(folder)
  {
  }

  // Whether `key` is one of the keys this reader reads.
  static bool reads(std::string_view key);

  // Whether the job `table` sets one of them: whether it is a group.
  static bool is_group(const toml::table& table);

  // The name of a group whose `name`, `text`, holds placeholders: the text
  // before the first `{`, without the `-_.:+@` that end it. Reports a name
  // that this leaves empty or not valid at `node`.
  std::string group_name(const toml::node& node, const std::string& text) const;

  // Remembers the values a group inherits from [defaults] as templates:
  // its `env` values and `cwd`, found in `defaults`.
  void inherit(const toml::table& defaults);

  // Reads `key` = `node` (a key `reads` accepts) of the job being read.
  void read(const toml::key& key, const toml::node& node);

  // The key that makes the job being read a group, "for_each" or "matrix";
  // empty for a single job.
  std::string_view group_key() const { return m_key; }

  // Ends the job being read once all its keys are read, `table` being the
  // job and `cwd` its cwd as written (its own or [defaults]'): checks its
  // templates (each problem reported at its `{`) and its name, and returns
  // its group; null for a single job. A cwd with placeholders replaces
  // `job.cwd`, which is not taken as a path then; a glob's folder is
  // `job.cwd`, or the job file's folder when the cwd has placeholders.
  std::shared_ptr<const GroupSpec> finish_job(const toml::table& table, const std::string& cwd,
                                              JobSpec& job);

private:
  // A value [defaults] gives a group, and where it is written.
  struct Inherited {
    std::string field; // "env.LC_ALL", "cwd"
    std::string text;
    SourcePoint where;
  };

  InputSourceSpec read_for_each(const toml::node& node) const;
  void read_matrix(const toml::node& node);
  // The strings of `values = [...]` or a matrix key, integers as decimal text.
  std::vector<std::string> read_values(const toml::node& node, const std::string& field) const;
  // Checks the templates of `table`, a group, in file order, then those it
  // inherits.
  void check_templates(const toml::table& table) const;
  // Checks template `text`, the string `field` whose opening quote is at
  // `where` in the file.
  void check(std::string_view text, SourcePoint where, std::string_view field) const;
  // Where the first placeholder of template `text` (without problems)
  // starts; nothing when it has none.
  std::optional<std::size_t> first_placeholder(std::string_view text) const;

  const ValueReader& m_values;
  std::string_view m_text;
  const std::string& m_folder;
  std::vector<Inherited> m_inherited;
  // The job being read: its group, the key that made it one, and what its
  // templates may name.
  std::optional<GroupSpec> m_group;
  std::string_view m_key;
  PlaceholderSet m_placeholders;
};

} // namespace fanout
