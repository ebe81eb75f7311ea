// SPDX-License-Identifier: MIT
#pragma once

#include "error.hpp"

#include <string>

namespace fanout {

// A mistake on the command line. `parse_command_line` catches it and leaves
// with its message, a pointer to --help and exit code 2.
class UsageError : public Error {
public:
  using Error::Error;
};

// Throws the usage error `message`.
[[noreturn]] inline void usage_error(const std::string& message)
{
  throw UsageError(message);
}

} // namespace fanout
