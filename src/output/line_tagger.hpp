// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "output/console.hpp"
#include "output/line_splitter.hpp"
#include "output/output.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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

// Turns each running job's output into whole lines, each prefixed with the
// job's tag padded to `width` and " | ": `build  | compiling`. It keeps
// state for running jobs only: a job file of 20,000 jobs costs it nothing
// until they run. Every output sink tags its lines here.
class LineTagger {
public:
  // `width` is the padding (the longest tag of the run).
  LineTagger(std::size_t width, Coloring coloring);

  // Job `id` (an attempt of it) starts: its lines are tagged `tag` until both
  // its streams are closed.
  void start(JobId id, std::string_view tag);

  // The lines that `bytes`, the next piece of job `id`'s `stream`, completes,
  // each tagged and ended by a newline, in one piece (empty when none is
  // complete). Valid until the next call.
  std::string_view tag(JobId id, Stream stream, std::string_view bytes);

  // `stream` of job `id` ended: its unfinished last line, tagged, with a
  // newline added (or nothing). Valid until the next call. The job is
  // forgotten once both its streams have ended.
  std::string_view close(JobId id, Stream stream);

private:
  struct JobState {
    std::string prefixes[2]; // by stream
    LineSplitter splitters[2];
    int open_streams = 2;
  };

  void append_line(std::string_view prefix, std::string_view line);
  // The lines appended since the last take, as one piece; the next piece
  // starts the buffer again.
  std::string_view take();

  // By JobId, set for the running jobs only: an index, not a lookup, for
  // each chunk of output.
  std::unordered_map<JobId, JobState> m_jobs;
  // Lines waiting for the next write(2). A plain array written with memcpy:
  // this is the per-line hot path, and std::string's appends cost twice as
  // much here.
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  std::size_t m_width;
  bool m_color[2];
};

} // namespace fanout
