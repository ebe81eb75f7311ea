// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// `value` quoted for /bin/sh: it reaches the command as exactly these
// bytes, one word, and nothing in it is run. A value of only letters,
// digits and `_ . / : @ + , -` that is not a reserved word (`if`, `done`)
// is left as it is; any other goes in single quotes, a `'` in it as `'\''`;
// the empty value is `''`. `value` holds no NUL: no argument can.
std::string shell_quoted(std::string_view value);

// Appends `shell_quoted(value)` to `out`, allocating nothing but `out`'s growth.
void append_shell_quoted(std::string& out, std::string_view value);

// Where a value stands in a command that /bin/sh reads (ShellReader tells),
// and so how it is written there: sh then reads back exactly its bytes, and
// runs nothing of them.
struct ShellSpot {
  enum class Quote : std::uint8_t {
    none,      // outside quotes, also in $(...) and ${x#...}: as `shell_quoted`
    single,    // in '...': each ' as '\''
    dbl,       // in "...": $ ` " \ each after a backslash
    parameter, // in ${x-...} in "...": $ ` " \ } each after a backslash
    comment,   // in a comment, which sh reads none of: each newline as a space
  };
  Quote quote = Quote::none;
  // Backslashes to write before the value: a backslash just before it in
  // the command then stays a backslash and escapes none of its bytes.
  std::size_t backslashes = 0;
  // How many backquoted commands `...` the value is in; bit i of
  // `backquotes_in_double` is set when the (i+1)-th, counted from the
  // outside, stands in double quotes. Each takes its backslashes off `\\`,
  // `\``, `\$` (and `\"` in double quotes) before sh reads it.
  std::uint8_t backquotes = 0;
  std::uint64_t backquotes_in_double = 0;
};

// Appends `value` written for `spot` to `out`, its backslashes not included
// (a value written several times in a row takes them once), allocating
// nothing but `out`'s growth.
void append_shell_quoted(std::string& out, std::string_view value, const ShellSpot& spot);

// Reads a command as /bin/sh (dash) does, as far as quoting goes, to tell
// the spot of a value put in at any point: it knows quotes, backslashes,
// $(...) and (...), ${...}, `...` to any depth, and comments. An
// unterminated quote or substitution runs to the end. It does not know
// here-documents, `case` patterns inside $(...), nor a value in the name of
// a ${...}: a value put in those is quoted as if they were not there.
class ShellReader {
public:
  ShellReader();

  // Reads the command's next bytes.
  void read(std::string_view text);
  // The spot of a value put in here; the reader then takes it as read.
  ShellSpot put_value();

private:
  // A construct that changes how what follows is read, as sh nests them.
  struct Frame {
    enum class Kind : std::uint8_t { script, subshell, substitution, parameter, single, dbl };
    Kind kind = Kind::script;
    bool in_double = false; // parameter: stands in double quotes
    bool named = false;     // parameter: its name has begun
    bool operated = false;  // parameter: its operator is read; its word follows
    bool pattern = false;   // parameter: the operator is # or %: a pattern
  };
  // A command: the one read, or a backquoted one in it.
  struct Level {
    std::vector<Frame> frames{Frame{}}; // innermost last
    bool escaped = false;               // a backslash escapes the next byte
    bool dollar = false;                // a `$` that a ( or { makes a substitution
    bool comment = false;
    bool in_word = false; // a # does not start a comment
    // A backquoted command: how its bytes come out of its backquotes.
    bool in_double = false;     // the backquotes stand in double quotes
    bool layer_escaped = false; // a backslash there comes before the next byte
  };

  // Reads byte `c` of the command at `level` (0: the one read).
  void read_byte(std::size_t level, char c);
  // Reads byte `c` of the command at `level` - 1, in backquotes, into `level`.
  void read_backquoted(std::size_t level, char c);
  // Reads byte `c` of the name of the ${...} that `level` is in, up to its
  // operator (`-`, `:=`, `#` ...).
  void read_parameter_name(Level& level, char c);
  // A backslash before a value would escape its first byte.
  bool pending() const;

  std::vector<Level> m_levels;
};

} // namespace fanout
