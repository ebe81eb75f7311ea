// SPDX-License-Identifier: MIT
#pragma once

#include "output/console.hpp"
#include "output/line_splitter.hpp"
#include "output/output.hpp"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// Whether each of fanout's output streams gets coloured job names.
struct Coloring {
  bool out = false;
  bool err = false;
};

// Decides colouring once, for the run: `always`, `never`, or for `automatic`
// each stream that is a terminal, unless NO_COLOR is set or TERM is "dumb".
Coloring coloring_for(ColorMode mode, const Console& console);

// The prefix of a job's lines: `name` (coloured by `id` when `color`)
// padded to `width`, then " | ": "build  | ".
std::string line_prefix(std::string_view name, std::size_t width, JobId id, bool color);

// Streams every job's lines as they complete, each prefixed with the job's
// tag padded to `width` and " | ": `build  | compiling`. A job's stdout goes
// to the console's stdout, its stderr to its stderr. Each `write` call ends
// in at most one `Console::write`, holding whole lines only, so lines of
// different jobs never mix. It keeps state for running jobs only: a job file
// of 20,000 jobs costs it nothing until they run.
class PrefixedSink : public OutputSink {
public:
  // `width` is the padding (the longest tag of the run). The console must
  // outlive the sink.
  PrefixedSink(std::size_t width, Coloring coloring, Console& console);

  void start(JobId id, std::string_view tag) override;

  void write(JobId id, Stream stream, std::string_view bytes) override;

  // Prints the unfinished last line of `stream`, with a newline added.
  void close(JobId id, Stream stream) override;

private:
  struct JobState {
    std::string prefixes[2]; // by stream
    LineSplitter splitters[2];
    int open_streams = 2;
  };

  void append_line(std::string_view prefix, std::string_view line);
  void flush(Stream stream);

  // By JobId, set for the running jobs only: an index, not a lookup, for
  // each chunk of output.
  std::unordered_map<JobId, JobState> m_jobs; // running jobs only
  // Lines waiting for the next write(2). A plain array written with memcpy:
  // this is the per-line hot path, and std::string's appends cost twice as
  // much here.
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  Console& m_console;
  std::size_t m_width;
  bool m_color[2];
};

} // namespace fanout
