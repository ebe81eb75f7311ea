// SPDX-License-Identifier: MIT
// The job file's text and its values: reading the file; checking names,
// symbols and paths; and taking typed values out of the TOML tree, with the
// located message for the first one that does not fit.
#pragma once

#include "jobfile/job.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/jobfile_errors.hpp"
#include "jobfile/toml.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanout {

// The messages are built from many pieces.
template <class... Parts> std::string concat(const Parts&... parts)
{
  std::string out;
  (out.append(parts), ...);
  return out;
}

enum class Empty { allowed, refused };

using Entry = std::pair<const toml::key*, const toml::node*>;

// `table`'s entries in the order the file has them. toml++ keeps them sorted
// by key, but the first problem in reading order is the one to report, and
// "cmd and argv are both set" points at whichever comes second.
std::vector<Entry> entries_in_file_order(const toml::table& table);

// What `node` is, for "must be a string, not an integer": "an integer".
std::string_view type_phrase(const toml::node& node);

// Reads values out of the TOML tree of a section of the job file `text`
// (see `split_into_sections`), named `path` in messages. Every method throws
// `fanout::Error` with the complete located message (see
// `format_jobfile_error`) at the first value that does not fit. Keeps
// references to `text` and `path`, which must outlive it.
class ValueReader {
public:
  ValueReader(std::string_view text, const std::string& path) : m_text(text), m_path(path) {}

  // What the problems found next are about, put before each message:
  // `job "unit"`, `job 3` or `defaults`; empty at the top level.
  void set_subject(std::string subject) { m_subject = std::move(subject); }

  // The line of the file where the section whose tree is read next starts:
  // toml++ counts the section's lines from 1.
  void set_first_line(std::size_t line) { m_lines_before = line - 1; }

  // Where `position`, in the section being read, is in the file.
  SourcePoint in_file(const toml::source_position& position) const;

  // Throws the message `what`, about the current subject, located at
  // `where` in the section being read, or in the file.
  [[noreturn]] void fail(const toml::source_position& where, std::string_view what) const;
  [[noreturn]] void fail(SourcePoint where, std::string_view what) const;

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

  // A string without NUL bytes (execve and function jobs take C strings);
  // with `Empty::refused`, not empty either. `field` names it in messages.
  std::string read_string(const toml::node& node, std::string_view field, Empty empty) const;

  // An array of strings, `argv` or `args`, read as `read_string` reads
  // each. With `Empty::refused`, neither the array nor its first string
  // (the program) may be empty; later strings always may.
  std::vector<std::string> read_strings(const toml::node& node, std::string_view field,
                                        Empty first) const;

  // `call = "lib/libseed.so:worker"` into `call`'s library (as written) and
  // symbol. The path ends at the last ':', since a symbol cannot hold one.
  void read_call(const toml::node& node, CallSpec& call) const;

  // The variables of `env = {...}`, appended to `env` in file order.
  void read_env(const toml::node& node, JobEnvironment::List& env) const;

  // A duration as fanout(1) defines it: a string, or a number of seconds.
  Duration read_duration(const toml::node& node, std::string_view field) const;

  // A number as the file spells it (`1_000`, `-inf`), which is what the user
  // will look for: toml++ would print a float with all its digits.
  std::string as_written(const toml::node& node) const;

private:
  std::string_view m_text;
  const std::string& m_path;
  std::string m_subject;
  std::size_t m_lines_before = 0; // the section's first line, less one
};

// A job file's bytes, what messages call it, and where its relative paths
// are taken from.
struct JobFileText {
  std::string text;
  std::string name;
  PathBase base = PathBase::jobfile_folder;
  // Whether reading it used it up (stdin, a pipe), so that it cannot be read
  // a second time.
  bool read_once = false;
};

// The whole job file at `path`, or fanout's stdin for "-", with its name
// and `PathBase` as `load_jobfile` states them. Throws fanout::Error, with
// the name and the reason, when it cannot be read or is bigger than any job
// file should be.
JobFileText read_file(const std::string& path);

// 1 to 128 letters, digits and _ . - : + @.
bool is_valid_name(std::string_view name);

// "name "<name>" is not valid: ..." for a name that `is_valid_name` refuses.
std::string invalid_name_message(std::string_view name);

bool contains_nul(std::string_view text);

// A C identifier, as a symbol `dlsym` can find must be.
bool is_c_identifier(std::string_view text);

// The folder the relative paths of the job file `jobfile_path` are taken
// from, as `base` says: its own folder ("" for "ci.toml") or the current
// one ("").
std::string paths_folder(const std::string& jobfile_path, PathBase base);

// `path` (a `cwd`, a `call` library) taken from `folder` (`paths_folder`),
// tidied lexically; an absolute `path` as written.
std::string resolve_path(const std::string& path, const std::string& folder);

// A `call` library, resolved as `resolve_path` does. dlopen looks a name
// without a slash up in the system's library folders, not in the current
// one, so a library that a relative `folder` leaves without one is named
// "./libseed.so".
std::string resolve_library(const std::string& library, const std::string& folder);

// One of the two above, remembering its last answer: the jobs of a file
// mostly share their cwd and library, and each resolution builds paths.
class LastPath {
public:
  using Resolve = std::string (*)(const std::string& path, const std::string& folder);

  explicit LastPath(Resolve resolve) : m_resolve(resolve) {}

  // The answer is shared by the jobs that get it in a row.
  const SharedText& resolve(const std::string& path, const std::string& folder)
  {
    if (!m_valid || path != m_written) {
      m_resolved = m_resolve(path, folder);
      m_written = path;
      m_valid = true;
    }
    return m_resolved;
  }

private:
  Resolve m_resolve;
  std::string m_written;
  SharedText m_resolved;
  bool m_valid = false;
};

} // namespace fanout
