// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.h"
#include "jobfile/job.hpp"

#include <atomic>
#include <cstddef>
#include <string>
#include <map>
#include <utility>
#include <vector>

namespace fanout {

// The code of function jobs (`call`): every library the selected jobs name,
// loaded once with dlopen before any job starts, and each job's function
// looked up in it. Libraries stay loaded until fanout exits: an abandoned
// thread, or a forked child, may still be running their code.
class FunctionTable {
public:
  // A job's function, or why it cannot run ("cannot load lib/x.so: ...").
  struct Entry {
    fanout_job_fn* function = nullptr;
    std::string problem;
  };

  FunctionTable() = default;
  // Loads what the jobs `selected` of `file` call. A library or symbol that
  // is missing is not an error here: the job that needs it gets a problem.
  FunctionTable(const JobFile& file, const std::vector<JobId>& selected);
  // Its index points into its own entries.
  FunctionTable(const FunctionTable&) = delete;
  FunctionTable& operator=(const FunctionTable&) = delete;

  // The entry of call job `id`; the table must have been built with it.
  const Entry& at(JobId id) const;

private:
  // One entry per library and symbol, however many jobs call it.
  std::map<std::pair<std::string, std::string>, Entry> m_entries;
  std::vector<const Entry*> m_by_job; // by JobId; null for a job not called
};

// What a function job needs to run, wherever it runs.
struct FunctionCall {
  fanout_job_fn* function;
  const char* name;
  std::size_t slot;
  FILE* out;
  FILE* err;
  const std::vector<std::string>* args;
  const std::atomic<bool>* stop; // what the job's stop_requested() reads
};

// How a function job ended: its exit code, and the message of an exception
// that escaped it (which makes the code 1), else empty.
struct FunctionResult {
  int code = 0;
  std::string exception;
};

// Calls the function with its context and argv, on the calling thread. An
// escaping exception is caught, and its message printed on `call.err`. The
// streams are flushed, not closed.
FunctionResult run_function(const FunctionCall& call);

} // namespace fanout
