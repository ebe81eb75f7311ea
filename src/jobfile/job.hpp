// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/group.hpp"
#include "jobfile/hosts.hpp"

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanout {

// A job's position in its job file, 0-based. FANOUT_JOB_INDEX is `JobId + 1`.
using JobId = std::size_t;

using Duration = std::chrono::milliseconds;

// A function job's target: `call = "lib/libseed.so:worker"`, `args = [...]`.
struct CallSpec {
  std::string library; // already resolved as `parse_jobfile` says
  std::string symbol;
  std::vector<std::string> args; // the function's argv, without a program name
};

// When a daemon is ready for the jobs that need it (`ready = {...}`).
struct ReadySpec {
  enum class Kind { log, tcp };
  Kind kind = Kind::log;
  std::string log;  // kind log: an ECMAScript regex a line of its output matches
  std::string host; // kind tcp: an IP address ("localhost" is 127.0.0.1)
  unsigned short port = 0;
  Duration timeout = std::chrono::seconds(30);
};

// A pool of the job file (`[pools] db = 2`): at most `size` of its jobs run
// at once, within -j. The built-in pool `console` has size 1, and its job
// runs on fanout's own terminal (fanout(1), JOB FILE, [pools]).
struct PoolSpec {
  std::string name;
  std::size_t size = 1;

  bool is_console() const { return name == k_console_pool; }

  // The name of the built-in console pool, which `[pools]` may not define.
  static constexpr std::string_view k_console_pool = "console";
};

// How a job relates to the others and what happens when it fails (fanout(1),
// JOB FILE). Out of line, like `call`: most jobs of a big file have none of it.
struct Lifecycle {
  std::vector<JobId> needs; // in the order written, no duplicates
  bool daemon = false;
  std::optional<ReadySpec> ready; // daemons only
  unsigned retries = 0;           // further attempts after failed, killed or timeout
  Duration retry_delay = std::chrono::seconds(1); // before the 2nd attempt; doubles after
  bool allow_failure = false;
  // Null: in no pool. Jobs of one pool share the same PoolSpec; the members
  // of a group are in the group's.
  std::shared_ptr<const PoolSpec> pool = nullptr;
};

// A string that copies share, for a value most jobs of a file have alike:
// their cwd, the job file's folder unless they say otherwise.
class SharedText {
public:
  SharedText() = default;
  SharedText(std::string text) : m_text(std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}

  const std::string& str() const;
  operator const std::string&() const { return str(); }
  const char* c_str() const { return str().c_str(); }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.str() == b.str(); }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }

private:
  std::shared_ptr<const std::string> m_text; // null: empty
};

// The variables a job adds to fanout's environment, in order; a later
// entry wins. Copies share one list: the jobs of a file mostly add the same
// (`[defaults]`), and a copy per job of a big file would outweigh the jobs.
class JobEnvironment {
public:
  using value_type = std::pair<std::string, std::string>;
  using List = std::vector<value_type>;
  using const_iterator = List::const_iterator;
  using iterator = const_iterator;

  JobEnvironment() = default;
  JobEnvironment(std::initializer_list<value_type> entries) : JobEnvironment(List(entries)) {}
  explicit JobEnvironment(List entries)
      : m_list(entries.empty() ? nullptr : std::make_shared<const List>(std::move(entries)))
  {
  }

  const List& list() const;
  const_iterator begin() const { return list().begin(); }
  const_iterator end() const { return list().end(); }
  std::size_t size() const { return list().size(); }
  bool empty() const { return list().empty(); }

  friend bool operator==(const JobEnvironment& a, const JobEnvironment& b)
  {
    return a.list() == b.list();
  }

private:
  std::shared_ptr<const List> m_list; // null: none
};

// One job, as the job file describes it after `[defaults]` were applied.
// Exactly one of `cmd`, `argv` and `call` is set.
struct JobSpec {
  std::string name;
  std::string cmd;               // run as `/bin/sh -c cmd`
  std::vector<std::string> argv; // program (looked up in PATH) and arguments
  // Out of line: most jobs are commands, and the size of a JobSpec is most
  // of the memory a big job file takes.
  std::shared_ptr<const CallSpec> call;
  SharedText cwd; // already resolved as `parse_jobfile` says
  JobEnvironment env;
  // Unset: inherit the command line's `--timeout`. Zero: no timeout.
  std::optional<Duration> timeout;
  // Unset: inherit the command line's `--grace`.
  std::optional<Duration> grace;
  // Null: no needs, not a daemon, no retries, failure not allowed, no pool.
  std::shared_ptr<const Lifecycle> lifecycle;
  // Null: one job. Set: a group, one job per input; then `cmd`, `argv`,
  // `call->args`, `env` values, `cwd` and `name` are templates holding
  // placeholders (fanout(1), INPUTS), and `name` is the group's name.
  std::shared_ptr<const GroupSpec> group;

  // The lifecycle, or the defaults when the job file set none of it.
  const Lifecycle& life() const;

  // Whether the job is in the console pool: it runs on fanout's terminal.
  bool is_console() const { return lifecycle && lifecycle->pool && lifecycle->pool->is_console(); }
};

// A parsed job file. Job names are unique.
struct JobFile {
  std::string path; // as the user named it
  std::vector<JobSpec> jobs;
  std::vector<HostSpec> hosts = {}; // [hosts], in file order; empty: none
  // `[pools]`, in file order; `console` is not among them.
  std::vector<std::shared_ptr<const PoolSpec>> pools = {};

  // The job called `name`, if any.
  std::optional<JobId> find(std::string_view name) const;
};

} // namespace fanout
