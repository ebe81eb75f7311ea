// SPDX-License-Identifier: MIT
#include "run/group_run.hpp"

#include "error.hpp"

namespace fanout {

GroupRun::GroupRun(const JobSpec& group, std::function<void()> on_more, MemberGate gate)
    : m_group(group), m_maker(group), m_on_more(std::move(on_more)), m_gate(std::move(gate))
{
}

Supply GroupRun::supply()
{
  if (m_exhausted) {
    return Supply::exhausted;
  }
  if (m_has_next) {
    return Supply::ready;
  }
  if (!m_inputs) {
    try {
      m_inputs = open_inputs(*m_group.group, m_on_more);
    } catch (const Error& e) {
      m_problem = e.what();
      m_exhausted = true;
      return Supply::exhausted;
    }
  }
  for (;;) {
    switch (m_inputs->next(m_input.values)) {
    case InputStream::Next::input:
      // Its number stays its own, whatever becomes of it.
      m_input.seq = m_next_seq++;
      if (!is_wanted()) {
        continue;
      }
      m_has_next = true;
      return Supply::ready;
    case InputStream::Next::later:
      return Supply::later;
    case InputStream::Next::end:
      break;
    }
    break;
  }
  m_exhausted = true;
  m_problem = m_inputs->error();
  const InputSourceSpec& first = m_group.group->sources.front();
  if (!m_problem && m_next_seq == 1 && first.kind == InputSourceSpec::Kind::glob) {
    // A pattern that matches nothing is most often a typo; a batch that
    // silently does nothing must not pass for a success.
    m_problem = "glob \"" + first.path + "\" matched nothing";
  }
  const auto& patterns = m_group.group->member_patterns;
  if (!m_problem && m_matched == 0 && !patterns.empty()) {
    // As a name that matches no job is an error, so is one that matches no
    // job of the group it names.
    m_problem = "no job matches \"" + patterns.front() + "\"";
  }
  m_inputs.reset();
  return Supply::exhausted;
}

bool GroupRun::is_wanted()
{
  if (!m_group.group->member_patterns.empty() && !m_maker.is_selected(m_input)) {
    return false;
  }
  ++m_matched;
  return !m_gate || m_gate(m_input, m_maker) == MemberVerdict::run;
}

InputValues GroupRun::take()
{
  m_has_next = false;
  ++m_in_flight;
  return std::move(m_input);
}

JobResult GroupRun::problem_result() const
{
  JobResult result{m_group.name, Outcome(Status::error, 2), {}, 1, m_group.life().allow_failure};
  result.outcome.message = m_problem.value_or("");
  return result;
}

void GroupRun::member_ended(const JobResult& result)
{
  --m_in_flight;
  if (fails_run(result) && !m_failure) {
    m_failure = result.outcome.status;
  }
}

std::optional<Scheduler::End> GroupRun::take_end(bool stopped)
{
  const bool begun = m_next_seq > 1 || m_exhausted;
  if (m_ended || !begun || m_in_flight > 0 || (!m_exhausted && !stopped)) {
    return std::nullopt;
  }
  m_ended = true;
  if (!m_exhausted) {
    return Scheduler::End::cut_short;
  }
  if (m_problem && !m_group.life().allow_failure && !m_failure) {
    m_failure = Status::error;
  }
  return m_failure ? Scheduler::End::failed : Scheduler::End::succeeded;
}

} // namespace fanout
