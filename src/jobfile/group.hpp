// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace fanout {

// Where one list of a group's input values comes from (fanout(1), INPUTS).
struct InputSourceSpec {
  enum class Kind { values, range, lines, glob };
  Kind kind = Kind::values;
  std::vector<std::string> values; // values: in order, any bytes
  long long first = 0;             // range: first..last inclusive, counting up or down
  long long last = 0;
  // lines: the file to read, "-" for fanout's stdin; resolved as a job's cwd is.
  // glob: the pattern as written ("data/**/*.csv"), matched from `folder`.
  std::string path;
  std::string folder;    // glob: the folder the pattern is relative to ("" = current)
  char separator = '\n'; // lines: what ends a value: '\n' or '\0' (-0)
  // Its placeholder: a matrix key ({py}); empty for a positional source
  // ({1}, {2}, ...; {} alone with one source).
  std::string key;
};

// A `[[job]]` with `for_each` or `matrix`, or the command line's inputs: one
// job per input, an input being one value of each source. With several
// sources the inputs are their product, the last source varying fastest:
// `::: a b ::: 1 2` gives (a,1) (a,2) (b,1) (b,2).
struct GroupSpec {
  enum class Origin { for_each, matrix, command_line };
  Origin origin = Origin::for_each;
  std::vector<InputSourceSpec> sources; // at least one
  // The `name` as written when it holds placeholders ("thumb-{/.}"); then
  // the group's own name is what comes before them. Empty otherwise.
  std::string name_template;
  // Set when the command line selects some of its members by name (shell
  // globs): only members whose name one of these matches run. Empty: all.
  std::vector<std::string> member_patterns;
};

} // namespace fanout
