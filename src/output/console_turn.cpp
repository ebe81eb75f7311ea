// SPDX-License-Identifier: MIT
#include "output/console_turn.hpp"

#include "exec/terminal.hpp"

namespace fanout {

ConsoleTurn::~ConsoleTurn()
{
  end_turn();
}

void ConsoleTurn::job_started(const JobEvent& event)
{
  if (!event.job.is_console()) {
    return;
  }
  m_console.hold_for_job(true);
  m_job = event.id;
  // The job takes the foreground as it starts, under the same condition.
  m_gave_terminal = holds_terminal_foreground();
}

void ConsoleTurn::attempt_ended(const JobEvent& event, const Outcome&, Seconds)
{
  if (m_job == event.id) {
    end_turn();
  }
}

void ConsoleTurn::end_turn()
{
  if (!m_job) {
    return;
  }
  if (m_gave_terminal) {
    take_terminal_back();
  }
  m_job.reset();
  m_console.hold_for_job(false);
}

} // namespace fanout
