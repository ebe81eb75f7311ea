// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>
#include <variant>

namespace fanout {

// Why a job's process could not be started. `code` is what the summary shows:
// 127 when the program or the cwd does not exist, 126 when it cannot run.
struct SpawnFailure {
  int code;
  std::string reason; // "program not found: foo", "cwd \"x\": No such file or directory"
};

// What a job's process is started with. Pointers are borrowed for the call.
struct SpawnRequest {
  const char* const* argv; // argv[0] is looked up in `path` unless it holds a '/'
  const char* const* envp;
  std::string_view path; // the job's PATH
  const char* cwd;
  int out_fd; // becomes the child's stdout
  int err_fd; // becomes the child's stderr
};

// Starts a job's process: in its own process group, stdin from /dev/null,
// `out_fd`/`err_fd` as stdout/stderr and no other descriptor of ours, the
// signal mask empty and every signal at its default action. Returns the pid
// once the program has been exec'd, or why it could not be. Safe to call
// from any thread.
std::variant<pid_t, SpawnFailure> spawn_job(const SpawnRequest& request);

} // namespace fanout
