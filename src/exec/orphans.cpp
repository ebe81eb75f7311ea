// SPDX-License-Identifier: MIT
//
// fanout learns of nothing when the kernel hands it an orphan, so at the end
// of each job it reads its list of children: a pid that is not a job's own
// process was adopted (or started by a function job on one of our threads).
// That read is the whole cost when there are none; only
// an adopted process costs more (its /proc stat and environ files).
#include "exec/orphans.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace fanout {

namespace {

// The whole of the /proc file open on `fd`, read from its start, or nothing
// when it cannot be read: the process is gone, or its memory is (a zombie's
// environ), or it is not ours to read (a set-user-ID program's environ).
std::optional<std::string> read_from_start(int fd)
{
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
    if (n == 0) {
      return text;
    }
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      return std::nullopt;
    }
  }
}

std::optional<std::string> read_proc_file(const std::string& path)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  auto text = read_from_start(fd);
  ::close(fd);
  return text;
}

// The numbers in `text`, separated by spaces.
std::vector<pid_t> numbers_in(std::string_view text)
{
  std::vector<pid_t> numbers;
  while (!text.empty()) {
    pid_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc()) {
      numbers.push_back(number);
    }
    const std::size_t space = text.find(' ', static_cast<std::size_t>(end - text.data()));
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  }
  return numbers;
}

} // namespace

// fanout's children: the processes it started and those it adopted. The
// kernel may hand an orphan to any of our threads, so every thread's list is
// read. A list is exact while no child is reaped during the read (proc(5)):
// the event loop's thread reaps, and reads; a worker thread reaps only a
// command that could not start, which at worst hides an orphan until the
// end of the run. The folder of threads and the lists of the first threads
// in it (the event loop's among them) stay open from one read to the next,
// so reading them again costs no path lookup; a pool of many worker threads
// does not keep a descriptor for each.
std::vector<pid_t> Subreaper::children() const
{
  std::vector<pid_t> children;
  if (m_tasks == nullptr) {
    return children;
  }
  std::vector<ThreadList> listed;
  ::rewinddir(m_tasks);
  while (const dirent* task = ::readdir(m_tasks)) {
    if (task->d_name[0] == '.') {
      continue;
    }
    pid_t tid = 0;
    std::from_chars(task->d_name, task->d_name + std::strlen(task->d_name), tid);
    const auto kept = std::find_if(m_lists.begin(), m_lists.end(),
                                   [tid](const ThreadList& list) { return list.tid == tid; });
    ThreadList list{tid, -1};
    if (kept != m_lists.end()) {
      list = std::exchange(*kept, ThreadList{});
    } else {
      const std::string path = std::string("/proc/self/task/") + task->d_name + "/children";
      list.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (list.fd < 0) {
      continue;
    }
    if (const auto text = read_from_start(list.fd)) {
      const std::vector<pid_t> pids = numbers_in(*text);
      children.insert(children.end(), pids.begin(), pids.end());
    }
    if (listed.size() < k_kept_lists) {
      listed.push_back(list);
    } else {
      ::close(list.fd);
    }
  }
  close_lists();
  m_lists = std::move(listed);
  return children;
}

void Subreaper::close_lists() const
{
  for (const ThreadList& list : m_lists) {
    if (list.fd >= 0) {
      ::close(list.fd);
    }
  }
  m_lists.clear();
}

namespace {

// A process's group and session, from /proc/PID/stat, whose fields after
// "PID (COMM)" are: state, parent, group, session. A zombie still has them.
struct Lineage {
  pid_t group;
  pid_t session;
};

std::optional<Lineage> lineage_of(pid_t pid)
{
  const auto stat = read_proc_file("/proc/" + std::to_string(pid) + "/stat");
  // COMM may hold anything, ')' included: the last one ends it.
  const std::size_t comm_end = stat ? stat->rfind(')') : std::string::npos;
  if (comm_end == std::string::npos) {
    return std::nullopt;
  }
  const std::vector<pid_t> fields = numbers_in(std::string_view(*stat).substr(comm_end + 1));
  // The state is a letter, so the numbers start with the parent.
  if (fields.size() < 3) {
    return std::nullopt;
  }
  return Lineage{fields[1], fields[2]};
}

// Whether `pid` was started with `job`'s FANOUT_JOB_INDEX and FANOUT_JOB_NAME
// (the first entry of each, as getenv reads them). /proc shows the
// environment its program was exec'd with: a process changes what it passes
// on, not this.
bool was_started_for(pid_t pid, const JobTraces& job)
{
  const auto environment = read_proc_file("/proc/" + std::to_string(pid) + "/environ");
  if (!environment) {
    return false;
  }
  constexpr std::string_view k_index = "FANOUT_JOB_INDEX=";
  constexpr std::string_view k_name = "FANOUT_JOB_NAME=";
  std::optional<std::string_view> index;
  std::optional<std::string_view> name;
  std::string_view rest = *environment;
  while (!rest.empty()) {
    const std::string_view entry = rest.substr(0, rest.find('\0'));
    if (!index && entry.starts_with(k_index)) {
      index = entry.substr(k_index.size());
    } else if (!name && entry.starts_with(k_name)) {
      name = entry.substr(k_name.size());
    }
    rest.remove_prefix(std::min(rest.size(), entry.size() + 1));
  }
  return index == std::to_string(job.index) && name == job.name;
}

// SIGKILL to each of `pids`, and to the process group each leads, if any (a
// group whose id is the pid of a process that is not a job's can only be one
// that process created). Then reaps each: by then its own children are ours.
void kill_and_reap(const std::vector<pid_t>& pids)
{
  for (const pid_t pid : pids) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  for (const pid_t pid : pids) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

// Kills and reaps the children of ours, as `list` gives them, that
// `belongs(pid, ended)` picks, `ended` being those it picked in earlier
// rounds, until a round finds none.
template <class List, class Belongs> void end_children(List list, Belongs belongs)
{
  std::vector<pid_t> ended;
  for (;;) {
    std::vector<pid_t> found;
    for (const pid_t pid : list()) {
      if (belongs(pid, ended)) {
        found.push_back(pid);
      }
    }
    if (found.empty()) {
      return;
    }
    kill_and_reap(found);
    ended.insert(ended.end(), found.begin(), found.end());
  }
}

} // namespace

Subreaper::Subreaper() : m_tasks(::opendir("/proc/self/task"))
{
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Subreaper::~Subreaper()
{
  end_all();
  close_lists();
  if (m_tasks != nullptr) {
    ::closedir(m_tasks);
  }
}

void Subreaper::end_all() const
{
  end_children([this] { return children(); },
               [](pid_t, const std::vector<pid_t>&) { return true; });
}

void Subreaper::end_orphans_of(const JobTraces& job, std::span<const pid_t> job_processes) const
{
  end_children([this] { return children(); },
               [&](pid_t pid, const std::vector<pid_t>& ended) {
                 if (std::binary_search(job_processes.begin(), job_processes.end(), pid)) {
                   return false;
                 }
                 const auto lineage = lineage_of(pid);
                 if (!lineage) {
                   return false;
                 }
                 // A group or session that one of the job's processes created holds only
                 // its descendants (a group could be joined from fanout's session, but
                 // no job of ours does that to another).
                 const auto created_by_ended = [&](pid_t id) {
                   return std::find(ended.begin(), ended.end(), id) != ended.end();
                 };
                 return lineage->group == job.group || created_by_ended(lineage->group) ||
                        created_by_ended(lineage->session) || was_started_for(pid, job);
               });
}

} // namespace fanout
