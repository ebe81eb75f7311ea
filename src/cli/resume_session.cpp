// SPDX-License-Identifier: MIT
#include "cli/resume_session.hpp"

#include "error.hpp"
#include "jobfile/selection.hpp"

#include <filesystem>
#include <fstream>

namespace fanout {

namespace {

namespace fs = std::filesystem;

// Where a job file's state is kept unless --state says: ".fanout/NAME.state"
// in the folder of the job file NAME. None for a command after `--` or a
// job file read from stdin.
std::string default_path(const Options& options)
{
  if (!options.command.empty() || options.file == "-") {
    return {};
  }
  const fs::path path(options.file);
  return (path.parent_path() / ".fanout" / (path.filename().string() + ".state")).string();
}

// Creates the folder of the default state `path` when it is missing, with a
// .gitignore that keeps it out of the job file's repository. A folder that
// cannot be made is for the lock to report.
void make_folder(const std::string& path)
{
  const fs::path folder = fs::path(path).parent_path();
  std::error_code error;
  if (fs::create_directory(folder, error)) {
    std::ofstream(folder / ".gitignore") << "# fanout's state for --resume\n*\n";
  }
}

} // namespace

ResumeSession::ResumeSession(const JobFile& file, const Options& options, Console& console)
    : m_console(console)
{
  const bool named = !options.state.empty();
  m_path = named ? options.state : default_path(options);
  if (m_path.empty()) {
    return;
  }
  std::error_code error;
  m_file = fs::absolute(m_path, error).string();
  if (error) {
    m_file = m_path; // no current folder: the file stays as relative as it was
  }
  if (!named) {
    make_folder(m_file);
  }
  try {
    open(file, options.resume, named);
  } catch (const Error&) {
    if (named || options.resume != ResumeMode::record) {
      throw;
    }
    // A plain run does not need the state: in a read-only folder it runs
    // as it did before there was one.
    m_state.reset();
    m_lock.reset();
  }
}

void ResumeSession::open(const JobFile& file, ResumeMode mode, bool named)
{
  m_lock.emplace(m_file);
  if (!m_lock->is_held()) {
    if (mode == ResumeMode::record) {
      // Runs at once (make -j with two targets) each do their part; only
      // the one that has the state records its part.
      m_lock.reset();
      return;
    }
    const pid_t holder = m_lock->holder();
    throw Error("fanout: error: another fanout run" +
                (holder > 0 ? " (pid " + std::to_string(holder) + ")" : std::string()) +
                " is using " + m_path + "; wait for it to end, or give this run another --state");
  }
  const std::optional<std::string> bytes = read_state_file(m_file);
  ResumeState state(mode);
  const auto warn = [&](const std::string& what) {
    if (mode != ResumeMode::record) {
      m_console.write(Stream::err, "fanout: warning: " + m_path + " " + what +
                                     ": it is ignored, and every job runs\n");
    }
  };
  switch (state.read(bytes.value_or(std::string()))) {
  case ResumeState::Reading::read:
    m_has_earlier = bytes.has_value();
    m_read = bytes.value_or(std::string());
    break;
  case ResumeState::Reading::foreign:
    throw Error("fanout: error: " + m_path + " is not a state that fanout wrote; remove it, or " +
                (named ? "name another file with --state" : "move it away"));
  case ResumeState::Reading::damaged:
    warn("is damaged");
    break;
  case ResumeState::Reading::unknown_version:
    warn("was written by another version of fanout");
    break;
  }
  if (mode != ResumeMode::record && !bytes) {
    m_console.write(Stream::err,
                    "fanout: no earlier run is recorded in " + m_path + ": every job runs\n");
  }
  std::vector<std::uint64_t> owners;
  owners.reserve(file.jobs.size());
  for (const JobSpec& job : file.jobs) {
    owners.push_back(name_key(job.name));
  }
  state.keep_only(owners);
  m_state = std::move(state);
}

std::vector<JobId> ResumeSession::jobs_to_run(const JobFile& file,
                                              const std::vector<JobId>& selected) const
{
  if (!m_state || m_state->mode() != ResumeMode::rerun_failed || !m_has_earlier) {
    return selected;
  }
  std::vector<bool> chosen(file.jobs.size(), false);
  for (const JobId id : selected) {
    const StateSection* section = m_state->section(name_key(file.jobs[id].name));
    chosen[id] = section && !section->succeeded;
  }
  // What they need runs too (or is found done), as when they are named.
  add_needs(file, chosen);
  std::vector<JobId> jobs;
  for (const JobId id : selected) {
    if (chosen[id]) {
      jobs.push_back(id);
    }
  }
  if (jobs.empty()) {
    m_console.write(Stream::err, "fanout: no job failed in the last run: nothing to rerun\n");
  }
  return jobs;
}

void ResumeSession::save()
{
  if (!m_state) {
    return;
  }
  const std::string bytes = m_state->bytes();
  if (m_has_earlier && bytes == m_read) {
    return; // the file says it already
  }
  if (const auto failure = write_state_file(m_file, bytes)) {
    m_console.write(Stream::err,
                    "fanout: warning: this run is not recorded for --resume: " + *failure + "\n");
  }
}

} // namespace fanout
