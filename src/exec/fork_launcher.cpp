// SPDX-License-Identifier: MIT
#include "exec/fork_launcher.hpp"

#include "exec/job_watch.hpp"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>

namespace fanout {

namespace {

// Room for the message of an exception that ends a forked function job.
constexpr std::size_t k_note_size = 4096;

// A page shared with a forked function job, where the child leaves the
// message of an exception that ended the function.
class Note : public Launched {
public:
  Note()
      : m_data(
          ::mmap(nullptr, k_note_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0))
  {
    if (is_mapped()) {
      static_cast<char*>(m_data)[0] = '\0';
    }
  }
  ~Note() override
  {
    if (is_mapped()) {
      ::munmap(m_data, k_note_size);
    }
  }
  Note(const Note&) = delete;
  Note& operator=(const Note&) = delete;

  bool is_mapped() const { return m_data != MAP_FAILED; }
  std::span<char> span() const { return {static_cast<char*>(m_data), k_note_size}; }
  std::string last_words() const override { return static_cast<const char*>(m_data); }

private:
  void* m_data;
};

// The cwd check that spawn_job makes for commands, made before the fork:
// the child can then only fail by the function's doing.
std::optional<SpawnFailure> check_cwd(const std::string& cwd)
{
  struct stat st;
  if (::stat(cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    const int error = ::stat(cwd.c_str(), &st) != 0 ? errno : ENOTDIR;
    return SpawnFailure{127, "cwd \"" + cwd + "\": " + std::strerror(error)};
  }
  return std::nullopt;
}

} // namespace

std::optional<SpawnFailure> ForkLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  const JobSpec& job = *attempt.job;
  const FunctionTable::Entry& entry = m_functions.at(attempt.position());
  if (!entry.problem.empty()) {
    return SpawnFailure{127, entry.problem};
  }
  if (auto failure = check_cwd(job.cwd)) {
    return failure;
  }
  const LaunchPlan plan(attempt, m_base_env);
  auto note = std::make_shared<Note>();
  if (!note->is_mapped()) {
    return cannot_start("cannot map memory", errno);
  }
  auto made = make_job_pipes();
  if (auto* failure = std::get_if<SpawnFailure>(&made)) {
    return std::move(*failure);
  }
  JobPipes& pipes = std::get<JobPipes>(made);
  const FunctionCall call{entry.function, job.name.c_str(), attempt.slot, nullptr,
                          nullptr,        &job.call->args,  nullptr};
  auto forked = fork_function_job(
    {call, job.cwd.c_str(), &plan.added(), pipes.out[1], pipes.err[1], note->span()});
  pipes.close_write_ends();
  if (auto* failure = std::get_if<SpawnFailure>(&forked)) {
    pipes.close_read_ends();
    return std::move(*failure);
  }
  if (auto failure = watch_child(watch, std::get<pid_t>(forked), pipes)) {
    return failure;
  }
  watch.set_launched(std::move(note));
  return std::nullopt;
}

} // namespace fanout
