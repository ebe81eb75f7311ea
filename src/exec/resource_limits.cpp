// SPDX-License-Identifier: MIT
#include "exec/resource_limits.hpp"

#include <algorithm>
#include <optional>

namespace fanout {

namespace {

// fanout watches its descriptors with epoll, which has no FD_SETSIZE: the
// only bound it needs is room for -j's most running jobs (4096, three
// descriptors each) and its daemons. A higher soft limit would only let a
// leak grow further before it shows.
constexpr rlim_t k_descriptor_ceiling = 65536;

// The limit found at start-up; set once, before any thread exists.
std::optional<rlimit> g_found_limit;

} // namespace

void raise_descriptor_limit()
{
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  g_found_limit = limit;
  const rlim_t wanted = std::min(limit.rlim_max, k_descriptor_ceiling);
  if (wanted > limit.rlim_cur) {
    limit.rlim_cur = wanted;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

rlimit job_descriptor_limit()
{
  if (g_found_limit) {
    return *g_found_limit;
  }
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit;
}

} // namespace fanout
