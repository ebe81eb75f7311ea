// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/input_stream.hpp"
#include "inputs/member_maker.hpp"
#include "run/run_events.hpp"
#include "run/scheduler.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

// What becomes of a group's member before it is made (fanout(1), RESUMING).
enum class MemberVerdict {
  run,
  done,     // it succeeded in an earlier run: logged so, not made
  left_out, // --rerun-failed: it did not fail last time
};

// Decides each input's member, with the group's maker at hand.
using MemberGate = std::function<MemberVerdict(const InputValues&, const MemberMaker&)>;

// A group during a run: its inputs, opened when the group may first start
// and read as slots free up, and the members it has made. Lives on the
// runner's thread.
class GroupRun {
public:
  // `group` must outlive this. `on_more` is called from any thread when
  // inputs that were not read yet are. `gate`, if set, is asked about each
  // selected input, in order; only those it says `run` become members.
  GroupRun(const JobSpec& group, std::function<void()> on_more, MemberGate gate = {});

  // Whether a member may start now (the scheduler's question).
  Supply supply();

  // The input that `supply` found ready, numbered; the group now has one
  // more member in flight.
  InputValues take();

  // One of its members ended for good.
  void member_ended(const JobResult& result);

  // The first time the group is over (every input read and every member
  // ended, or none in flight once the run `stopped`), how it ended for the
  // jobs that need it.
  std::optional<Scheduler::End> take_end(bool stopped);

  // The status of its first member that failed the run, or `error` for
  // inputs that could not be read.
  std::optional<Status> failure() const { return m_failure; }

  const MemberMaker& maker() const { return m_maker; }

  // Every input was read (or could not be).
  bool exhausted() const { return m_exhausted; }
  std::uint64_t members() const { return m_next_seq - 1; }

  // Why its inputs could not be read, a glob matched nothing, or none of
  // its members was selected.
  const std::optional<std::string>& problem() const { return m_problem; }

  // With a problem, the group's result: `error`, exit code 2, the problem
  // as its message.
  JobResult problem_result() const;

  // Every input was read, and none failed to be.
  bool read_all() const { return m_exhausted && !m_problem; }

private:
  // Whether the input just read is to become a member.
  bool is_wanted();

  const JobSpec& m_group;
  MemberMaker m_maker;
  std::function<void()> m_on_more;
  MemberGate m_gate;
  std::unique_ptr<InputStream> m_inputs;
  InputValues m_input; // the last one read
  bool m_has_next = false;
  bool m_exhausted = false;
  bool m_ended = false;
  std::optional<Status> m_failure;
  std::uint64_t m_next_seq = 1;
  std::uint64_t m_matched = 0; // inputs whose members the command line selected
  std::size_t m_in_flight = 0;
  std::optional<std::string> m_problem;
};

} // namespace fanout
