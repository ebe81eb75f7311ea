// SPDX-License-Identifier: MIT
#pragma once

#include <sys/resource.h>

namespace fanout {

// Raises fanout's soft limit on open descriptors (RLIMIT_NOFILE) to its hard
// limit, or to a ceiling well above what the most jobs -j allows need, and
// never lowers it: each running job holds descriptors of fanout's, and the
// usual soft limit of 1024 would end a run at a few hundred jobs. Remembers
// the limit it found, for job_descriptor_limit(). Call it once, at start-up,
// before any thread starts; a limit it cannot change stays as it was.
void raise_descriptor_limit();

// The RLIMIT_NOFILE a job's process must start with: the limit fanout found
// before raise_descriptor_limit() raised it, since a program that uses
// select() cannot take descriptors past FD_SETSIZE; the current limit if it
// was never raised. Safe from any thread once raise_descriptor_limit() has
// returned.
rlimit job_descriptor_limit();

} // namespace fanout
