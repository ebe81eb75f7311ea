// SPDX-License-Identifier: MIT
#include "jobfile/jobfile_lifecycle.hpp"

#include "jobfile/jobfile_errors.hpp"
#include "jobfile/jobfile_keys.hpp"
#include "jobfile/ready_regex.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <netinet/in.h>
#include <sys/socket.h>
#include <system_error>

namespace fanout {
namespace {

constexpr std::string_view k_lifecycle_keys[] = {"daemon",      "ready",         "needs", "retries",
                                                 "retry_delay", "allow_failure", "pool"};
constexpr std::int64_t k_max_retries = 1000;
// A regex is compiled recursively, a level per nested term: a pattern can be
// made to exhaust the stack. The line a daemon prints when it is ready takes
// far fewer than this.
constexpr std::size_t k_max_pattern_bytes = 1024;
// A longer cycle is shown by its first jobs only.
constexpr std::size_t k_max_cycle_names = 10;

void set_subject_to(ValueReader& values, const JobSpec& job)
{
  values.set_subject(concat("job ", quote_for_message(job.name)));
}

std::string read_pattern(const ValueReader& values, const toml::node& node)
{
  std::string pattern = values.read_string(node, "ready.log", Empty::refused);
  if (pattern.size() > k_max_pattern_bytes) {
    values.fail(node.source().begin,
                concat("ready.log is longer than ", std::to_string(k_max_pattern_bytes), " bytes"));
  }
  if (const auto why = ready_regex_error(pattern)) {
    values.fail(node.source().begin,
                concat("ready.log ", quote_for_message(pattern), " is not a valid regex: ", *why));
  }
  return pattern;
}

// The host of a `ready.tcp` address as an IP address: an IPv4 one,
// `localhost`, or an IPv6 one in brackets (given without them). Nothing when
// `host` is none of these; names are not looked up.
std::optional<std::string> ip_address(std::string_view host)
{
  if (host == "localhost") {
    return "127.0.0.1";
  }
  const bool is_bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  const std::string bare(is_bracketed ? host.substr(1, host.size() - 2) : host);
  in6_addr parsed{};
  if (inet_pton(is_bracketed ? AF_INET6 : AF_INET, bare.c_str(), &parsed) != 1) {
    return std::nullopt;
  }
  return bare;
}

std::optional<unsigned short> tcp_port(std::string_view port)
{
  unsigned number = 0;
  const char* const end = port.data() + port.size();
  const auto [stop, error] = std::from_chars(port.data(), end, number);
  if (port.empty() || error != std::errc() || stop != end || number == 0 || number > 65535) {
    return std::nullopt;
  }
  return static_cast<unsigned short>(number);
}

// `ready.tcp = "host:port"` into `ready`. The port follows the last ':',
// since an IPv6 address holds some of its own.
void read_address(const ValueReader& values, const toml::node& node, ReadySpec& ready)
{
  const std::string address = values.read_string(node, "ready.tcp", Empty::refused);
  const std::string field = concat("ready.tcp ", quote_for_message(address));
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    values.fail(node.source().begin, concat(field, " is not \"host:port\""));
  }
  const std::string_view host = std::string_view(address).substr(0, colon);
  const std::string_view port = std::string_view(address).substr(colon + 1);
  std::optional<std::string> ip = ip_address(host);
  if (!ip) {
    values.fail(node.source().begin,
                concat(field, ": host ", quote_for_message(host),
                       " is not an IPv4 address, an [IPv6] address or localhost"));
  }
  const std::optional<unsigned short> number = tcp_port(port);
  if (!number) {
    values.fail(node.source().begin, concat(field, ": port ", quote_for_message(port),
                                            " is not a number from 1 to 65535"));
  }
  ready.kind = ReadySpec::Kind::tcp;
  ready.host = std::move(*ip);
  ready.port = *number;
}

ReadySpec read_ready(const ValueReader& values, const toml::node& node)
{
  const auto& table = values.require<toml::table>(node, "ready must be a table");
  ReadySpec ready;
  bool has_target = false;
  for (const auto& [key, value] : entries_in_file_order(table)) {
    const std::string_view name = key->str();
    if (name == "log" || name == "tcp") {
      if (has_target) {
        values.fail(key->source().begin, "ready.log and ready.tcp are both set; keep one");
      }
      has_target = true;
      if (name == "log") {
        ready.kind = ReadySpec::Kind::log;
        ready.log = read_pattern(values, *value);
      } else {
        read_address(values, *value, ready);
      }
    } else if (name == "timeout") {
      ready.timeout = values.read_duration(*value, "ready.timeout");
      if (ready.timeout <= Duration::zero()) {
        values.fail(value->source().begin, "ready.timeout must be more than 0");
      }
    } else {
      values.fail(key->source().begin, concat("ready: ", unknown_key_message(name, k_ready_keys)));
    }
  }
  if (!has_target) {
    values.fail(node.source().begin, "ready sets neither log nor tcp; set one");
  }
  return ready;
}

unsigned read_retries(const ValueReader& values, const toml::node& node)
{
  const std::int64_t retries =
    values.require<std::int64_t>(node, "retries must be an integer").get();
  if (retries < 0 || retries > k_max_retries) {
    values.fail(node.source().begin,
                concat("retries ", values.as_written(node), " is out of range: use 0 to ",
                       std::to_string(k_max_retries)));
  }
  return static_cast<unsigned>(retries);
}

// Jobs c[0], ..., c[n-1] of which each needs the next and the last needs
// c[0], starting at the first of them in the file; nothing when the needs
// form no cycle. A depth-first search on an explicit stack: a chain of
// thousands of jobs must not exhaust the call stack.
std::optional<std::vector<JobId>> find_cycle(const std::vector<JobSpec>& jobs)
{
  enum class Mark : std::uint8_t { unseen, on_path, done };
  std::vector<Mark> marks(jobs.size(), Mark::unseen);
  // The jobs from the search's root to the one being looked at, each with
  // how many of its needs were followed so far.
  std::vector<std::pair<JobId, std::size_t>> path;
  for (JobId root = 0; root < jobs.size(); ++root) {
    if (marks[root] != Mark::unseen) {
      continue;
    }
    marks[root] = Mark::on_path;
    path.emplace_back(root, 0);
    while (!path.empty()) {
      const JobId job = path.back().first;
      const std::vector<JobId>& needs = jobs[job].life().needs;
      if (path.back().second == needs.size()) {
        marks[job] = Mark::done;
        path.pop_back();
        continue;
      }
      const JobId next = needs[path.back().second++];
      if (marks[next] == Mark::on_path) {
        std::vector<JobId> cycle;
        auto step = std::find_if(path.begin(), path.end(),
                                 [next](const auto& on_path) { return on_path.first == next; });
        for (; step != path.end(); ++step) {
          cycle.push_back(step->first);
        }
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        return cycle;
      }
      if (marks[next] == Mark::unseen) {
        marks[next] = Mark::on_path;
        path.emplace_back(next, 0);
      }
    }
  }
  return std::nullopt;
}

// "needs form a cycle: a -> b -> c -> a"; past 10 jobs, "needs form a cycle
// of 20000 jobs: j1 -> ... -> j10 -> ... -> j1". Names need no quotes: they
// are valid names.
std::string cycle_message(const std::vector<JobSpec>& jobs, const std::vector<JobId>& cycle)
{
  const bool is_cut = cycle.size() > k_max_cycle_names;
  std::string what = "needs form a cycle";
  if (is_cut) {
    what += concat(" of ", std::to_string(cycle.size()), " jobs");
  }
  what += ": ";
  for (std::size_t i = 0; i < std::min(cycle.size(), k_max_cycle_names); ++i) {
    what += concat(jobs[cycle[i]].name, " -> ");
  }
  if (is_cut) {
    what += "... -> ";
  }
  what += jobs[cycle.front()].name;
  return what;
}

} // namespace

bool LifecycleReader::reads(std::string_view key)
{
  return std::find(std::begin(k_lifecycle_keys), std::end(k_lifecycle_keys), key) !=
         std::end(k_lifecycle_keys);
}

void LifecycleReader::read(const toml::key& key, const toml::node& node)
{
  const std::string_view name = key.str();
  Lifecycle& job = m_job ? *m_job : m_job.emplace();
  if (name == "needs") {
    read_needs(key, node);
  } else if (name == "daemon") {
    job.daemon = m_values.require<bool>(node, "daemon must be a boolean").get();
    m_daemon_key = m_values.in_file(key.source().begin);
  } else if (name == "ready") {
    m_ready_key = m_values.in_file(key.source().begin);
    job.ready = read_ready(m_values, node);
  } else if (name == "retries") {
    m_retries_key = m_values.in_file(key.source().begin);
    job.retries = read_retries(m_values, node);
  } else if (name == "retry_delay") {
    job.retry_delay = m_values.read_duration(node, name);
  } else if (name == "pool") {
    m_pool_key = m_values.in_file(key.source().begin);
    job.pool = m_pools.find(node);
  } else {
    job.allow_failure = m_values.require<bool>(node, "allow_failure must be a boolean").get();
  }
}

std::shared_ptr<const Lifecycle> LifecycleReader::finish_job(JobId id, std::string_view group_key,
                                                             std::string_view command_key)
{
  // Checked once every key is read, since either key of a pair may come first.
  const bool is_daemon = m_job && m_job->daemon;
  if (!group_key.empty() && (is_daemon || m_ready_key)) {
    // Why a group is no daemon: "for_each makes a job per input".
    const std::string makes =
      concat(group_key, " makes a job per ", group_key == "matrix" ? "combination" : "input");
    if (is_daemon) {
      m_values.fail(*m_daemon_key,
                    concat("a group cannot be a daemon: ", makes, ", a daemon is one service"));
    }
    m_values.fail(*m_ready_key,
                  concat("a group cannot have ready: ", makes, ", and ready is for a daemon"));
  }
  if (m_ready_key && !is_daemon) {
    m_values.fail(*m_ready_key, "ready is for daemons; set daemon = true");
  }
  if (m_retries_key && is_daemon) {
    m_values.fail(*m_retries_key, "a daemon is not retried; remove retries");
  }
  if (m_pool_key && is_daemon) {
    m_values.fail(*m_pool_key, "a daemon is in no pool: it runs beside the jobs; remove pool");
  }
  if (m_pool_key && command_key == "call" && m_job->pool->is_console()) {
    m_values.fail(*m_pool_key,
                  "a call job cannot be in the console pool: it writes through fanout; use cmd");
  }
  std::shared_ptr<Lifecycle> lifecycle;
  if (m_job) {
    lifecycle = std::make_shared<Lifecycle>(std::move(*m_job));
  }
  if (m_job_needs) {
    m_job_needs->job = id;
    m_job_needs->lifecycle = lifecycle.get();
    m_needs_lists.push_back(*m_job_needs);
  }
  m_job.reset();
  m_daemon_key.reset();
  m_ready_key.reset();
  m_retries_key.reset();
  m_pool_key.reset();
  m_job_needs.reset();
  return lifecycle;
}

void LifecycleReader::resolve_needs(const std::vector<JobSpec>& jobs, const JobNames& names)
{
  if (m_needs_lists.empty()) {
    return;
  }
  resolve_names(jobs, names);
  if (const std::optional<std::vector<JobId>> cycle = find_cycle(jobs)) {
    set_subject_to(m_values, jobs[cycle->front()]);
    m_values.fail(needs_key_of(cycle->front()), cycle_message(jobs, *cycle));
  }
  std::vector<NeedsList>().swap(m_needs_lists);
  std::vector<NeedName>().swap(m_need_names);
  std::string().swap(m_name_bytes);
}

void LifecycleReader::read_needs(const toml::key& key, const toml::node& node)
{
  const auto& array = m_values.require<toml::array>(node, "needs must be an array of strings");
  m_job_needs = NeedsList{0, m_values.in_file(key.source().begin),
                          static_cast<std::uint32_t>(m_need_names.size()), nullptr};
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = *array.get(i);
    const std::string field = concat("needs[", std::to_string(i), "]");
    m_name_bytes += m_values.read_string(element, field, Empty::refused);
    m_need_names.push_back(
      {static_cast<std::uint32_t>(m_name_bytes.size()), m_values.in_file(element.source().begin)});
  }
}

void LifecycleReader::resolve_names(const std::vector<JobSpec>& jobs, const JobNames& names)
{
  // For each job, 1 + the last list that named it: a name given twice in one
  // list is found without comparing the list's names with each other.
  std::vector<std::size_t> named_by(jobs.size(), 0);
  std::uint32_t begin = 0;
  for (std::size_t list = 0; list < m_needs_lists.size(); ++list) {
    const NeedsList& needs = m_needs_lists[list];
    const std::uint32_t last =
      list + 1 < m_needs_lists.size() ? m_needs_lists[list + 1].first_name : m_need_names.size();
    needs.lifecycle->needs.reserve(last - needs.first_name);
    for (std::uint32_t n = needs.first_name; n < last; ++n) {
      const NeedName& need = m_need_names[n];
      const std::string_view name(m_name_bytes.data() + begin, need.end - begin);
      begin = need.end;
      const std::optional<TakenName> found = names.find(name);
      if (!found) {
        std::vector<std::string_view> others;
        for (const JobSpec& job : jobs) {
          if (&job != &jobs[needs.job]) {
            others.push_back(job.name);
          }
        }
        set_subject_to(m_values, jobs[needs.job]);
        m_values.fail(need.where, concat("needs unknown job ", quote_for_message(name),
                                         did_you_mean(name, others)));
      }
      const JobId id = found->id;
      if (named_by[id] == list + 1) {
        set_subject_to(m_values, jobs[needs.job]);
        m_values.fail(need.where, concat("needs ", quote_for_message(name), " twice"));
      }
      named_by[id] = list + 1;
      needs.lifecycle->needs.push_back(id);
    }
  }
}

SourcePoint LifecycleReader::needs_key_of(JobId id) const
{
  const auto list =
    std::lower_bound(m_needs_lists.begin(), m_needs_lists.end(), id,
                     [](const NeedsList& needs, JobId wanted) { return needs.job < wanted; });
  return list->key;
}

} // namespace fanout
