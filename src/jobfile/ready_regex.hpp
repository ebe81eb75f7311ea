// SPDX-License-Identifier: MIT
#pragma once

#include <boost/regex.hpp>

#include <optional>
#include <string>

namespace fanout {

// The regex of `ready = { log = "..." }`: ECMAScript, with '^' and '$' at the
// ends of the line only. Boost.Regex, not std::regex: libstdc++'s matcher
// recurses once per character, so searching a 32 KiB line for ".*ready"
// overflows an 8 MiB stack (GCC PR 86164), and an 8 KiB line takes it over
// 2 s. Boost's matcher keeps its own bounded stack and throws when a search
// costs too much. Throws boost::regex_error for a bad pattern.
boost::regex compile_ready_regex(const std::string& pattern);

// What is wrong with `pattern`, in one sentence without a full stop
// ("Unmatched marking parenthesis ( or \("), or nothing: the job-file
// parser's check, made with the compiler the probe uses.
std::optional<std::string> ready_regex_error(const std::string& pattern);

} // namespace fanout
