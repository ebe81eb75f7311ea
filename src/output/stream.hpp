// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

namespace fanout {

// Which of a job's output streams bytes came from, and which of fanout's
// own they go to.
enum class Stream { out, err };

// 0 for stdout, 1 for stderr: the index of per-stream arrays.
inline std::size_t index_of(Stream stream)
{
  return stream == Stream::out ? 0 : 1;
}

} // namespace fanout
