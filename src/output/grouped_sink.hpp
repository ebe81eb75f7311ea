// SPDX-License-Identifier: MIT
#pragma once

#include "output/ci_folds.hpp"
#include "output/console.hpp"
#include "output/line_tagger.hpp"
#include "output/output.hpp"
#include "output/spool.hpp"
#include "run/run_events.hpp"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace fanout {

// Prints each attempt's output as one block (`--output group`), or the
// blocks in job-file order (`keep-order`), lines tagged as LineTagger does.
// A block keeps the order of its lines across stdout and stderr, each line
// going to the stream the job wrote it to. Output waits in a Spool per
// attempt, so memory stays bounded whatever a job writes.
//
// `group` prints a block when its attempt ends, in the order they end.
// `keep-order` prints the jobs in the order of their ids (a job's attempts
// one after the other): the first job in that order streams live, as
// `parallel -k --line-buffer` does, and the others wait their turn. A
// daemon takes no turn, as it runs until the end: its blocks are printed as
// in `group`.
//
// With a CI, each block is a collapsible section titled with its tag, and
// once it ended, how and when ("build ok in 1.25s"); a job that fails the
// run is then marked for the CI (ci_folds.hpp). Without one, a block is
// its lines alone.
//
// A block is fed to the console a piece at a time: while the console's
// backlog is over its mark, printing waits for console_drained(), and a
// long block goes on from the event loop (`Defer`) after each share, so
// that timers and signals are served. At the end of the run whatever is
// left is printed at once.
class GroupedSink : public RunObserver {
public:
  // Runs a function later on the event loop.
  using Defer = std::function<void(std::function<void()>)>;

  // What the sink prints, and how.
  struct Settings {
    OutputMode mode = OutputMode::group; // group or keep_order
    CiPlatform ci = CiPlatform::none;
    std::size_t width = 0; // the tags' padding, as for PrefixedSink
    Coloring coloring;
  };

  // The console must outlive the sink; `defer` must drop, never run, what
  // it was given once the sink is gone.
  GroupedSink(const Settings& settings, Console& console, Defer defer);
  ~GroupedSink() override;
  GroupedSink(const GroupedSink&) = delete;
  GroupedSink& operator=(const GroupedSink&) = delete;

  // An attempt starts its block; in keep-order its job takes its turn.
  void job_started(const JobEvent& e) override;
  // Tagged lines go to the attempt's block, or straight to the console
  // while that block is being printed and nothing of it waits.
  void job_output(const JobEvent& e, Stream stream, std::string_view bytes) override;
  // A stream's unfinished last line goes where its lines went.
  void job_output_closed(const JobEvent& e, Stream stream) override;
  // How and when the attempt ended, for its block's title.
  void attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds elapsed) override;
  // The attempt's block is complete, and may be printed to its end.
  void job_retrying(const JobEvent& e, const Outcome& outcome, Duration delay,
                    unsigned attempts) override;
  // As job_retrying, with the job's failure mark after the block when it
  // fails the run; in keep-order the next job may take its turn.
  void job_finished(const JobEvent& e, const JobResult& result) override;
  // Prints every block left, waiting for the console where it must.
  void run_finished(const Report& report) override;

  // The console's backlog drained below its low mark: printing goes on.
  void console_drained();

private:
  struct Block;
  // The blocks of one job in keep-order, and whether more may come.
  struct Turn {
    std::deque<std::unique_ptr<Block>> blocks; // complete, in attempt order
    bool finished = false;                     // its last attempt ended
  };

  // Tagged lines of job `id`: to the console if its block is being
  // printed and nothing of it waits, else into its spool.
  void take_lines(JobId id, Stream stream, std::string_view lines);
  // The running attempt of job `id` is complete: it joins its queue.
  void complete(JobId id, std::string trailer);
  void queue(JobId id, std::unique_ptr<Block> block);
  // Prints what may be printed now.
  void pump();
  Block* next_block();
  void begin(Block& block);
  void finish_current();

  Console& m_console;
  Defer m_defer;
  LineTagger m_tagger;
  CiPlatform m_ci;
  bool m_keep_order;
  SpoolBudget m_budget;
  std::unordered_map<JobId, std::unique_ptr<Block>> m_running; // by job, its running attempt
  std::deque<std::unique_ptr<Block>> m_ended;                  // complete, in the order they ended
  std::map<JobId, Turn> m_turns;                               // keep-order: by job id
  std::optional<JobId> m_head;                                 // keep-order: the job being printed
  Block* m_current = nullptr;                                  // the block being printed
  bool m_current_ended = false;                                // m_current is m_ended's first
  bool m_deferred = false;                                     // a pump waits on the event loop
  bool m_final = false;             // the run is over: print everything now
  std::uint64_t m_process;          // fanout's pid, for section names
  std::uint64_t m_sections = 0;     // begun so far, for section names
  std::unique_ptr<char[]> m_buffer; // for pieces read back from a spool's file
};

} // namespace fanout
