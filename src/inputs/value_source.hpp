// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/input_stream.hpp"

#include <optional>
#include <string>

namespace fanout {

// The values of one source of a group, read as they are asked for: what the
// product of an InputStream draws its first source's values from.
class ValueSource {
public:
  virtual ~ValueSource() = default;

  // The next value, in `value`; `later` when none is read yet (the source
  // calls its `on_more` when one is, or at its end). Never blocks.
  virtual InputStream::Next next(std::string& value) = 0;

  // Why the values ended early (a read error), once `next` said `end`.
  virtual std::optional<std::string> error() const { return std::nullopt; }
};

} // namespace fanout
