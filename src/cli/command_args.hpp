// SPDX-License-Identifier: MIT
// The command after `--` and its inputs, as GNU parallel writes them.
#pragma once

#include "cli/cli.hpp"

#include <span>
#include <string_view>

namespace fanout {

// Whether `token` starts an input source after the command: `:::`, `::::`,
// or the linked forms `:::+` and `::::+`, which fanout refuses.
bool is_input_marker(std::string_view token);

// Reads `tokens`, all that follows `--`, into `options`: the command up to
// the first marker, then one input source per `:::` and one per file of
// `::::`, as GNU parallel does; with no source, the lines of stdin. Lines
// end at `separator`. A usage error throws (usage_error).
void read_command(std::span<const char* const> tokens, char separator, Options& options);

} // namespace fanout
