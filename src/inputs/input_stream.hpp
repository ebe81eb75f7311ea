// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/group.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

// The inputs of one group, read as they are asked for.
class InputStream {
public:
  enum class Next {
    input, // `values` holds the next input
    later, // none is read yet: `on_more` is called when one is, or the end
    end,   // there are no more
  };

  virtual ~InputStream() = default;

  // The next input: one value per source, in the group's order. Never blocks.
  virtual Next next(std::vector<std::string>& values) = 0;

  // Why the inputs ended early (a read error), once `next` said `end`.
  virtual std::optional<std::string> error() const = 0;
};

// Opens `group`'s inputs. The first source is read lazily (a file or a pipe
// on a thread of its own, which reads ahead a bounded amount); the others
// are read whole here, as every value of the first needs them all.
// `on_more` may be called from any thread. Throws `fanout::Error` when a
// source cannot be opened.
std::unique_ptr<InputStream> open_inputs(const GroupSpec& group, std::function<void()> on_more);

} // namespace fanout
