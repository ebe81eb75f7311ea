// SPDX-License-Identifier: MIT
#include "exec/srun_report.hpp"

#include "exec/spawn.hpp"

#include <cerrno>
#include <cstring>
#include <sys/wait.h>

namespace fanout {

namespace {

constexpr std::string_view k_srun_error = "srun: error: ";
constexpr std::string_view k_srun_fatal = "srun: fatal: ";
constexpr std::string_view k_exited = "Exited with exit code ";
constexpr std::string_view k_execve = "error: execve(): ";

// What follows "task N: " in a srun line on a task's end
// ("srun: error: localhost: task 0: Killed"), if `line` is one.
std::optional<std::string_view> task_end(std::string_view line)
{
  if (!line.starts_with(k_srun_error)) {
    return std::nullopt;
  }
  line.remove_prefix(k_srun_error.size());
  const std::size_t task = line.find(": task ");
  if (task == std::string_view::npos) {
    return std::nullopt;
  }
  line.remove_prefix(task + 7);
  const std::size_t digits = line.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos || line.substr(digits, 2) != ": ") {
    return std::nullopt;
  }
  return line.substr(digits + 2);
}

// The errno whose text is `text` ("No such file or directory"); EIO for
// a text of none.
int errno_of(std::string_view text)
{
  for (int error = 1; error < 256; ++error) {
    if (text == std::strerror(error)) {
      return error;
    }
  }
  return EIO;
}

// The errno of slurmstepd's line on an exec that failed
// ("slurmstepd-localhost: error: execve(): foo: No such file or directory").
std::optional<int> exec_failed(std::string_view line)
{
  if (!line.starts_with("slurmstepd")) {
    return std::nullopt;
  }
  const std::size_t at = line.find(k_execve);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  line.remove_prefix(at + k_execve.size());
  const std::size_t colon = line.rfind(": ");
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  return errno_of(line.substr(colon + 2));
}

} // namespace

std::string_view SrunReport::job_output(std::string_view bytes, bool at_end)
{
  m_out.clear();
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      m_partial.append(bytes);
      break;
    }
    std::string_view line = bytes.substr(0, newline);
    if (!m_partial.empty()) {
      m_partial.append(line);
      line = m_partial;
    }
    if (read_line(line)) {
      m_out.append(line).push_back('\n');
    }
    m_partial.clear();
    bytes.remove_prefix(newline + 1);
  }
  if (at_end && !m_partial.empty()) {
    if (read_line(m_partial)) {
      m_out.append(m_partial);
    }
    m_partial.clear();
  }
  return m_out;
}

bool SrunReport::read_line(std::string_view line)
{
  if (const auto end = task_end(line)) {
    m_task_ended = true;
    m_task_signalled = !end->starts_with(k_exited);
    return false;
  }
  if (const auto error = exec_failed(line)) {
    m_exec_failure = exec_failure(m_program, *error);
    m_out.append("fanout: ").append(m_exec_failure->reason).push_back('\n');
    return false;
  }
  if (m_srun_error.empty() && (line.starts_with(k_srun_error) || line.starts_with(k_srun_fatal))) {
    m_srun_error = line;
  }
  return true;
}

Outcome SrunReport::outcome(int raw_status, Ending ending) const
{
  if (!WIFEXITED(raw_status) || WEXITSTATUS(raw_status) == 0) {
    return outcome_of_exit(raw_status, ending);
  }
  const int code = WEXITSTATUS(raw_status);
  if (m_exec_failure) {
    return failure_outcome(*m_exec_failure);
  }
  if (m_task_signalled && code > 128) {
    // A raw wait status of a death by signal N is N itself.
    return outcome_of_exit(code - 128, ending);
  }
  if (!m_task_ended && !m_srun_error.empty()) {
    Outcome outcome(Status::error, code);
    outcome.message = m_srun_error;
    return outcome;
  }
  return outcome_of_exit(raw_status, ending);
}

} // namespace fanout
