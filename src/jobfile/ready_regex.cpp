// SPDX-License-Identifier: MIT
#include "jobfile/ready_regex.hpp"

#include <string_view>

namespace fanout {

boost::regex compile_ready_regex(const std::string& pattern)
{
  // no_mod_m: '^' and '$' match at the ends of the line only, as in
  // ECMAScript, and not around a '\r' inside it as in Perl.
  return boost::regex(pattern, boost::regex::ECMAScript | boost::regex::no_mod_m);
}

std::optional<std::string> ready_regex_error(const std::string& pattern)
{
  try {
    compile_ready_regex(pattern);
  } catch (const boost::regex_error& error) {
    // Boost adds "  The error occurred while parsing ... >>>HERE>>>": the
    // job-file message shows the pattern and its place already.
    std::string_view why = error.what();
    why = why.substr(0, why.find(".  "));
    if (why.ends_with('.')) {
      why.remove_suffix(1);
    }
    return std::string(why);
  }
  return std::nullopt;
}

} // namespace fanout
