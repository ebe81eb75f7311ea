// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"

#include <string>

namespace fanout {

// The one place where an outcome becomes words: the note the summary prints
// after a job's status ("SIGTERM after 3s", "because unit failed",
// "SIGKILL after lint failed (--fail-fast)", "program not found: foo").
// Empty when there is nothing to say (a job that exited by itself, 0 or not).
std::string note_text(const Outcome& outcome);

// How a job that did not succeed is named as the cause of another's fate:
// "unit failed", "db timed out", "lint could not start".
std::string cause_text(const std::string& job, Status status);

} // namespace fanout
