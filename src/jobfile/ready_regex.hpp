// SPDX-License-Identifier: MIT
#pragma once

// Boost.Regex gives up a search (error_complexity) once it has visited about
// the larger of n*s*s and min(n*n, this cap) states, plus 100,000, for a
// line of n characters and a pattern of s. Boost's own cap, 100,000,000,
// lets one search of a long line hold the event loop for long; this one
// leaves a long line its n*s*s share and a line of up to a thousand
// characters its n*n. This header is fanout's only way to Boost.Regex: a
// search compiled with another cap would be another definition of the same
// template.
#ifdef BOOST_REGEX_MAX_STATE_COUNT
#error "jobfile/ready_regex.hpp must come before any other Boost.Regex header"
#endif
#define BOOST_REGEX_MAX_STATE_COUNT 1000000
#include <boost/regex.hpp>

#include <optional>
#include <string>

namespace fanout {

// The regex of `ready = { log = "..." }`: ECMAScript, with '^' and '$' at the
// ends of the line only. Boost.Regex, not std::regex: libstdc++'s matcher
// recurses once per character, so searching a 32 KiB line for ".*ready"
// overflows an 8 MiB stack (GCC PR 86164), and a line of a few KiB takes it
// seconds. Boost's matcher keeps its own bounded stack and throws when a search
// costs too much (the cap above). Throws boost::regex_error for a bad pattern.
boost::regex compile_ready_regex(const std::string& pattern);

// What is wrong with `pattern`, in one sentence without a full stop
// ("Unmatched marking parenthesis ( or \("), or nothing: the job-file
// parser's check, made with the compiler the probe uses.
std::optional<std::string> ready_regex_error(const std::string& pattern);

} // namespace fanout
