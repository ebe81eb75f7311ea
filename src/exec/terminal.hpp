// SPDX-License-Identifier: MIT
// The terminal on fanout's stdin, and its foreground process group, which a
// console job holds while it runs (fanout(1), JOB FILE, [pools]).
#pragma once

namespace fanout {

// Whether fanout's stdin is a terminal whose foreground process group is
// fanout's: a job started now on fanout's terminal takes the foreground for
// its own group. Safe to call from any thread.
bool holds_terminal_foreground();

// Makes fanout's process group the terminal's foreground group again,
// after a console job had it. Blocks SIGTTOU on the calling thread for the
// call, since fanout is then in a background group; does nothing when stdin
// is no terminal.
void take_terminal_back();

} // namespace fanout
