// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>

namespace fanout {

// The one exception type fanout throws: a usage error, an unusable job file,
// or a runner that cannot go on. `what()` is the complete message, ready to
// print; job-file errors already carry their location, source line and caret.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace fanout
