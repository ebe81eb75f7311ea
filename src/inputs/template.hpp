// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/shell_quote.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// The values one job of a group runs with (fanout(1), INPUTS).
struct InputValues {
  std::vector<std::string> values; // one per source, in the group's order
  std::uint64_t seq = 1;           // {#}: the input's 1-based position in its group
  std::size_t slot = 0;            // {%}: the pool slot the job runs in
};

// The placeholders a template may name: positional ones for `count`
// sources ({}, {1} .. {count}, with their modifiers), or, when `keys` is
// not empty, one per key ({py}) and no positional ones but {}.
struct PlaceholderSet {
  std::size_t count = 1;
  std::vector<std::string> keys;
};

// What is wrong with a template, and where: a byte offset into its text.
struct TemplateProblem {
  std::size_t offset = 0;
  std::string message; // "unknown placeholder {py3}"
};

// The first problem of template `text`, if it has one: an unknown
// placeholder, or a source number out of range.
std::optional<TemplateProblem> find_template_problem(std::string_view text,
                                                     const PlaceholderSet& placeholders);

// The same for a command run by /bin/sh (`cmd`), and also a value after a
// here-document's `<<`: a value in its body is text that no quoting can
// keep from ending the document or from being expanded.
std::optional<TemplateProblem> find_shell_template_problem(std::string_view text,
                                                           const PlaceholderSet& placeholders);

// A text with placeholders, parsed once and expanded per input, with GNU
// parallel's replacement strings: {} the input, {.} without its extension,
// {/} its basename, {//} its dirname, {/.} its basename without extension,
// {#} the sequence number, {%} the slot; {N} and {N.} {N/} {N//} {N/.} for
// source N; {key} in a matrix, with the same modifiers ({key.}). With several
// sources {} (and {.} ...) gives every value, joined by spaces, each quoted
// apart (or, standing alone, as arguments apart: `expand_args`). A `{` after
// `$`, and braces around anything but a placeholder (`awk '{ print $1 }'`,
// `{a b}`), are text; a name in braces (`{foo}`) that is no key is a problem.
class Template {
public:
  enum class Quoting {
    none, // a value is put in as it is (argv, args, env, cwd, name)
    // Each value is written for /bin/sh (cmd) where it stands (ShellSpot):
    // outside quotes shell_quoted, in the text's own '...' or "..." escaped
    // for those; sh reads back exactly its bytes and runs none of them.
    shell,
  };

  // `text` must have no problem (`find_template_problem`).
  Template(std::string_view text, const PlaceholderSet& placeholders);

  // Whether the text names any input value ({#} and {%} do not count).
  bool uses_input() const;
  // Whether the text names the sequence number ({#}).
  bool uses_seq() const;
  // Whether the text is one placeholder of input values and nothing else
  // ({}, {2/}, {py.}), which `expand_args` gives a value per argument.
  bool is_lone_value() const;

  // Appends the text, its placeholders replaced by `input`'s values, to `out`;
  // allocates nothing but `out`'s growth. `input` has a value per source;
  // {#} and {%} are `seq` and `slot` as they are.
  void expand_into(std::string& out, const InputValues& input, Quoting quoting) const;
  // The same, as a new string.
  std::string expand(const InputValues& input, Quoting quoting) const;
  // Appends arguments to `out` (Quoting::none): with `is_lone_value`, one per
  // value it names (a lone {} with several sources gives each apart, as GNU
  // parallel does), else one, the text expanded.
  void expand_args(std::vector<std::string>& out, const InputValues& input) const;

private:
  friend std::optional<TemplateProblem> find_template_problem(std::string_view text,
                                                              const PlaceholderSet& placeholders);
  friend std::optional<TemplateProblem>
  find_shell_template_problem(std::string_view text, const PlaceholderSet& placeholders);

  // A run of the text, or one placeholder.
  struct Piece {
    enum class Kind : std::uint8_t { text, value, seq, slot };
    // Which part of a value: {}, {.}, {/}, {//}, {/.}.
    enum class Part : std::uint8_t { whole, stem, basename, dirname, basename_stem };
    static constexpr std::size_t k_every_source = static_cast<std::size_t>(-1);

    Kind kind = Kind::text;
    Part part = Part::whole;
    std::size_t source = k_every_source; // value: index into InputValues::values
    std::size_t begin = 0;               // text: its bytes in m_text
    std::size_t size = 0;
    ShellSpot spot = {}; // value: where it stands when the text is a command
  };

  bool has_piece(Piece::Kind kind) const;

  // The part of `value` that `part` names.
  static std::string_view part_of(std::string_view value, Piece::Part part);

  // Splits `text` into `pieces`, stopping at its first problem. With keys,
  // key i names source i.
  static std::optional<TemplateProblem>
  parse(std::string_view text, const PlaceholderSet& placeholders, std::vector<Piece>& pieces);

  std::string m_text;
  std::vector<Piece> m_pieces;
};

} // namespace fanout
