// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>

namespace fanout {

// How many single-character edits (an insertion, a deletion, a change, or two
// neighbours swapped) turn `a` into `b`: the Damerau-Levenshtein distance in
// its optimal-string-alignment form. What "did you mean" suggestions measure.
std::size_t edit_distance(std::string_view a, std::string_view b);

} // namespace fanout
