// SPDX-License-Identifier: MIT
// Input sources as text, so that tests compare whole lists and show them
// readably when they differ.
#pragma once

#include "jobfile/group.hpp"

#include <string>
#include <vector>

namespace fanout::test {

// One entry per source: "values a b" for values, "lines PATH NL" (or NUL,
// the separator) for lines; only the kinds the command line makes.
inline std::vector<std::string> sources_text(const std::vector<InputSourceSpec>& sources)
{
  std::vector<std::string> text;
  for (const InputSourceSpec& source : sources) {
    std::string line = source.kind == InputSourceSpec::Kind::values  ? "values"
                       : source.kind == InputSourceSpec::Kind::lines ? "lines " + source.path
                                                                     : "other";
    for (const std::string& value : source.values) {
      line += " " + value;
    }
    if (source.kind == InputSourceSpec::Kind::lines) {
      line += source.separator == '\0' ? " NUL" : source.separator == '\n' ? " NL" : " other";
    }
    text.push_back(std::move(line));
  }
  return text;
}

} // namespace fanout::test
