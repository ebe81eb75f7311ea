// SPDX-License-Identifier: MIT
#include "jobfile/job.hpp"

namespace fanout {

const std::string& SharedText::str() const
{
  static const std::string none;
  return m_text ? *m_text : none;
}

const JobEnvironment::List& JobEnvironment::list() const
{
  static const List none;
  return m_list ? *m_list : none;
}

const Lifecycle& JobSpec::life() const
{
  static const Lifecycle defaults;
  return lifecycle ? *lifecycle : defaults;
}

std::optional<JobId> JobFile::find(std::string_view name) const
{
  for (JobId id = 0; id < jobs.size(); ++id) {
    if (jobs[id].name == name) {
      return id;
    }
  }
  return std::nullopt;
}

} // namespace fanout
