// SPDX-License-Identifier: MIT
#include "output/tag.hpp"

namespace fanout {

std::string tag_of(std::string_view name, unsigned attempt)
{
  std::string tag(name);
  if (attempt > 1) {
    tag.append("#").append(std::to_string(attempt));
  }
  return tag;
}

std::size_t widest_tag(const JobSpec& job)
{
  return tag_of(job.name, job.life().retries + 1).size();
}

} // namespace fanout
