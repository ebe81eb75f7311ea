// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// Parses a duration as fanout(1) defines it: `250ms`, `30s`, `5m`, `1h`,
// `1h30m` (units h, m, s, ms, largest first, each at most once), or a bare
// number of seconds, integer or decimal (`30`, `2.5`). Returns nothing for
// anything else, including negative values and values past ~100 days.
std::optional<Duration> parse_duration(std::string_view text);

// A duration in seconds with a bare number (TOML `timeout = 1.5`).
std::optional<Duration> duration_from_seconds(double seconds);

// Whether `text` is a minus sign before a duration over 0 ("-5s") or before
// what `suggest_duration` has a hint for ("-5 minutes"): a message should
// say it cannot be negative rather than give a hint.
bool is_negative_duration(std::string_view text);

// What a message puts after `"-5s" is not a duration` for such a value.
inline constexpr std::string_view k_cannot_be_negative = ": it cannot be negative";

// A hint for a value that is almost a duration: "5 minutes" gives "5m",
// "10 sec" gives "10s". Empty when no hint fits.
std::string suggest_duration(std::string_view text);

// Formats `d` the short way for messages: "250ms", "3s", "1.5s", "2m", "1h30m".
std::string format_duration(Duration d);

} // namespace fanout
