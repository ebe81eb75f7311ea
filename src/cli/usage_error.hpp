// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/Error.hpp>

#include <string>

namespace fanout {

// Thrown for a usage error; the one catch of `parse_command_line` reports it.
[[noreturn]] inline void usage_error(const std::string& message)
{
  throw CLI::ValidationError(message);
}

} // namespace fanout
