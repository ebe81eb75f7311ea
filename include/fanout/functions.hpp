// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.h"
#include "fanout/job.hpp"

#include <atomic>
#include <cstddef>
#include <string>
#include <unordered_map>
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

  // The entry of call job `id`; the table must have been built with it.
  const Entry& at(JobId id) const { return m_entries.at(id); }

private:
  std::unordered_map<JobId, Entry> m_entries; // call jobs only
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
