// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "output/stream.hpp"
#include "output/tag.hpp"
#include "run/run_events.hpp"

#include <string_view>

namespace fanout {

// When job names are coloured (`--color`).
enum class ColorMode { automatic, always, never };

// When the status line is shown (`--status`): see shows_status().
enum class StatusMode { automatic, always, never };
// How job output is printed (`--output`): each line as it comes, each
// attempt's output in one block when it ends, or blocks in job-file order.
enum class OutputMode { lines, group, keep_order };

// Where job output goes: an observer of the run that hears each attempt's
// start, output and end of output. Called on the runner's thread only.
class OutputSink : public RunObserver {
public:
  // Job `id` (an attempt of it) starts: its lines are tagged `tag` ("unit",
  // then "unit#2" for its retry), until both its streams are closed.
  virtual void start(JobId id, std::string_view tag) = 0;

  // `bytes` is the next piece of job `id`'s `stream`: any length, any bytes,
  // not necessarily whole lines.
  virtual void write(JobId id, Stream stream, std::string_view bytes) = 0;

  // Job `id`'s `stream` reached its end: nothing more comes for it.
  virtual void close(JobId id, Stream stream) = 0;

  void job_started(const JobEvent& e) final { start(e.id, tag_of(e.label, e.attempt)); }
  void job_output(const JobEvent& e, Stream stream, std::string_view bytes) final
  {
    write(e.id, stream, bytes);
  }
  void job_output_closed(const JobEvent& e, Stream stream) final { close(e.id, stream); }
};

} // namespace fanout
