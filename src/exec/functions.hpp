// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.h"
#include "jobfile/job.hpp"
#include "output/stream.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
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

// A function job's stdout and stderr, as the function gets them: FILE*s,
// line-buffered, that hand each line (or full buffer) to a sink. The
// function may fclose either, as a program may close its stdout: the
// stream is flushed, and fanout then leaves that FILE* alone. Not movable:
// the streams point to it.
class JobStreams {
public:
  // Takes each piece written to `stream`; returns 0, or the errno that the
  // write then fails with.
  using Sink = int (*)(void* context, Stream stream, std::string_view bytes);

  // Opens both streams, on `sink` with `context`.
  JobStreams(Sink sink, void* context);
  // Closes, and so flushes, what the function left open.
  ~JobStreams();
  JobStreams(const JobStreams&) = delete;
  JobStreams& operator=(const JobStreams&) = delete;

  // Whether both streams could be opened (stdio can run out of memory).
  bool is_open() const { return m_ends[0].file != nullptr && m_ends[1].file != nullptr; }
  FILE* out() const { return m_ends[0].file; }
  FILE* err() const { return m_ends[1].file; }
  // Whether the function has closed `stream`.
  bool is_closed(Stream stream) const { return m_ends[index_of(stream)].closed; }

private:
  struct End {
    JobStreams* streams;
    Stream stream;
    FILE* file = nullptr;
    bool closed = false;
  };

  static ssize_t write_end(void* cookie, const char* data, std::size_t size);
  static int close_end(void* cookie);

  Sink m_sink;
  void* m_context;
  std::array<End, 2> m_ends;
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
  // When `out` and `err` are these streams' (as in both pools), which the
  // function may close; null for streams it leaves open.
  const JobStreams* streams = nullptr;
};

// How a function job ended: its exit code, and the message of an exception
// that escaped it (which makes the code 1), else empty.
struct FunctionResult {
  int code = 0;
  std::string exception;
};

// Calls the function with its context and argv, on the calling thread. An
// escaping exception is caught, and its message printed on `call.err`. The
// streams are flushed, not closed; one the function closed is left alone.
FunctionResult run_function(const FunctionCall& call);

} // namespace fanout
