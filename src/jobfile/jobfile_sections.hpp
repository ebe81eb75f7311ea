// SPDX-License-Identifier: MIT
// The tables of a job file, found without parsing it, so that its TOML can
// be parsed one table at a time: the tree of one job is small, the tree of
// a file of twenty thousand jobs is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace fanout {

// Lines of a job file that toml++ parses alone as it would in the whole
// file: bytes [`begin`, `end`), the first of them line `first_line`
// (1-based). A section begins at the start of a line, so toml++'s columns
// in it are the file's.
struct JobFileSection {
  enum class Kind : std::uint8_t {
    job,      // one [[job]] header, with the [job.*] tables that follow it
    defaults, // the [defaults] header, with the [defaults.*] tables that follow it
    pools,    // the [pools] header
    whole,    // the whole file, which is not made of these alone
  };
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t first_line = 1;
  Kind kind = Kind::whole;

  std::string_view text_in(std::string_view file) const { return file.substr(begin, end - begin); }
};

// The sections of the job file `text`, in file order; comments and blank
// lines before the first header belong to the first section. A file that
// has anything but [[job]] tables, one [defaults] table and one [pools]
// table (keys before the first header, another table, a second [defaults]
// or [pools], a sub-table away from its table or of [pools], a header
// written with quotes, or no header at all), or that is
// not valid UTF-8, is one `whole` section. Headers are told apart from text that looks like one
// with TOML's strings, comments and arrays in mind: a line "[[job]]" inside
// a multi-line string or an array is not a header. In a file that is not
// valid TOML, the first error lies in a section whose start is right, and
// toml++ reports it there as it would in the whole file.
//
// Nothing is kept per section: the text is read through once when the
// object is made, and again by each `for_each`. Keeps a reference to `text`.
class JobFileSections {
public:
  explicit JobFileSections(std::string_view text);

  // How many [[job]] sections there are.
  std::size_t job_count() const { return m_job_count; }

  // The [defaults] section, if there is one.
  const std::optional<JobFileSection>& defaults() const { return m_defaults; }

  // The [pools] section, if there is one.
  const std::optional<JobFileSection>& pools() const { return m_pools; }

  // Calls `visit` with each section in file order; an exception it throws
  // ends the walk.
  void for_each(const std::function<void(const JobFileSection&)>& visit) const;

private:
  std::string_view m_text;
  bool m_is_whole = false;
  std::size_t m_job_count = 0;
  std::optional<JobFileSection> m_defaults;
  std::optional<JobFileSection> m_pools;
};

} // namespace fanout
