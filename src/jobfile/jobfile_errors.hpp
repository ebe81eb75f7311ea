// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fanout {

// A place in a job file as toml++ reports it: 1-based line and column, the
// column counted in Unicode code points. Line 0 means "nowhere in particular".
struct SourcePoint {
  std::size_t line = 0;
  std::size_t column = 0;
};

// The complete message for a problem `what` at `where` in the job file
// `text`, which the user named `path`:
//
//   ci.toml:14:11: error: <what>
//      14 | timeout = "5 minutes"
//         |           ^
//
// The source line and caret appear only when line `where.line` exists in
// `text`, is not empty and is at most 200 bytes long. With `where.line` 0,
// the message is `<path>: error: <what>`. No trailing newline. Control bytes
// show as '?', in the source line and in `what` alike (toml++ quotes bad
// input raw in its descriptions).
std::string format_jobfile_error(std::string_view path, std::string_view text, SourcePoint where,
                                 std::string_view what);

// The bytes of `text` from `begin` up to (not including) `end`, as the user
// wrote them; both must be on the same line. Empty when they are not, or
// when either lies outside `text`.
std::string_view source_slice(std::string_view text, SourcePoint begin, SourcePoint end);

// The byte offset in `text` of `where` (as toml++ counts: see
// `SourcePoint`); nothing when `text` has no such place.
std::optional<std::size_t> offset_of(std::string_view text, SourcePoint where);

// `text` in double quotes for a message, escaped the way TOML escapes a
// basic string, so control bytes cannot upset the terminal. Text past 128
// bytes (longer than any valid job name) is cut at a character boundary
// and ends in "...".
std::string quote_for_message(std::string_view text);

// `key` the way a TOML user writes it: bare when TOML allows, else quoted.
std::string key_for_message(std::string_view key);

// " (did you mean "<candidate>"?)" for the entry of `candidates` closest to
// `word`: the one at the smallest Damerau-Levenshtein distance (optimal string
// alignment), if that is at most 2 and smaller than `word`'s length. On a tie
// the earlier candidate wins. Empty when no candidate is that close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

// "unknown key "<key>"", followed by " (did you mean "<candidate>"?)" for
// the candidate that the key means in other tools' files ("command" in
// docker compose is "cmd", "depends_on" is "needs", "workdir" is "cwd"), if
// it is one of `candidates`, else by `did_you_mean(key, candidates)`.
std::string unknown_key_message(std::string_view key, std::span<const std::string_view> candidates);

} // namespace fanout
