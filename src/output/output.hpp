// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <cstddef>
#include <string_view>

namespace fanout {

// Which of a job's output streams bytes came from.
enum class Stream { out, err };

// 0 for stdout, 1 for stderr: the index of per-stream arrays.
inline std::size_t index_of(Stream stream)
{
  return stream == Stream::out ? 0 : 1;
}

// When job names are coloured (`--color`).
enum class ColorMode { automatic, always, never };

// Where job output goes. Called on the runner's thread only.
class OutputSink {
public:
  virtual ~OutputSink() = default;

  // Job `id` (an attempt of it) starts: its lines are tagged `tag` ("unit",
  // then "unit#2" for its retry), until both its streams are closed.
  virtual void start(JobId id, std::string_view tag) = 0;

  // `bytes` is the next piece of job `id`'s `stream`: any length, any bytes,
  // not necessarily whole lines.
  virtual void write(JobId id, Stream stream, std::string_view bytes) = 0;

  // Job `id`'s `stream` reached its end: nothing more comes for it.
  virtual void close(JobId id, Stream stream) = 0;
};

} // namespace fanout
