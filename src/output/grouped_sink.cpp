// SPDX-License-Identifier: MIT
#include "output/grouped_sink.hpp"

#include "output/tag.hpp"
#include "report/report.hpp"

#include <unistd.h>

namespace fanout {

namespace {

// Bytes of a block handed to the console in one piece at most.
constexpr std::size_t k_piece = 256 * 1024;
// Bytes printed before the rest of a long block waits for the next turn of
// the event loop.
constexpr std::size_t k_share = 4 * 1024 * 1024;

using SteadyClock = std::chrono::steady_clock;

// "ok in 1.25s", "failed 2 in 0.50s", "timeout -15 in 3.00s".
std::string how_it_ended(const Outcome& outcome, Seconds took)
{
  std::string how(status_name(outcome.status));
  if (outcome.status != Status::ok && has_code(outcome)) {
    how.append(" ").append(std::to_string(outcome.code));
  }
  return how + " in " + seconds_text(took);
}

} // namespace

// One attempt's output and what its fold says, until it is printed.
struct GroupedSink::Block {
  Block(SpoolBudget& budget, std::string block_tag, bool fold, bool in_turn)
      : spool(budget), tag(std::move(block_tag)), folded(fold), ordered(in_turn)
  {
  }

  Spool spool;
  std::string tag;
  bool folded;  // a CI section around it; not around a failure's mark alone
  bool ordered; // it waits for its job's turn (keep-order)
  WallClock::time_point started = WallClock::now();
  WallClock::time_point ended = started;
  SteadyClock::time_point clock_start = SteadyClock::now();
  std::string how;       // once its attempt ended: "failed 2 in 0.50s"
  std::string trailer;   // printed after it: its job's failure mark
  bool complete = false; // nothing more comes: it may be printed to its end
  bool begun = false;    // its start is printed
  std::string section;   // its GitLab section's name, once begun
};

GroupedSink::GroupedSink(const Settings& settings, Console& console, Defer defer)
    : m_console(console), m_defer(std::move(defer)), m_tagger(settings.width, settings.coloring),
      m_ci(settings.ci), m_keep_order(settings.mode == OutputMode::keep_order),
      m_process(static_cast<std::uint64_t>(::getpid()))
{
}

GroupedSink::~GroupedSink() = default;

void GroupedSink::job_started(const JobEvent& e)
{
  const std::string tag = tag_of(e.label, e.attempt);
  m_tagger.start(e.id, tag);
  const bool ordered = m_keep_order && !e.job.life().daemon;
  m_running[e.id] = std::make_unique<Block>(m_budget, tag, m_ci != CiPlatform::none, ordered);
  if (ordered) {
    m_turns[e.id];
    pump();
  }
}

void GroupedSink::job_output(const JobEvent& e, Stream stream, std::string_view bytes)
{
  take_lines(e.id, stream, m_tagger.tag(e.id, stream, bytes));
}

void GroupedSink::job_output_closed(const JobEvent& e, Stream stream)
{
  take_lines(e.id, stream, m_tagger.close(e.id, stream));
}

void GroupedSink::attempt_ended(const JobEvent& e, const Outcome& outcome, Seconds)
{
  Block& block = *m_running.at(e.id);
  block.ended = WallClock::now();
  block.how = how_it_ended(outcome, SteadyClock::now() - block.clock_start);
}

void GroupedSink::job_retrying(const JobEvent& e, const Outcome&, Duration, unsigned)
{
  complete(e.id, {});
  pump();
}

void GroupedSink::job_finished(const JobEvent& e, const JobResult& result)
{
  std::string mark;
  if (fails_run(result)) {
    mark = failure_annotation(m_ci, e.label, how_it_ended(result.outcome, result.elapsed));
  }
  const auto turn = m_turns.find(e.id);
  if (m_running.contains(e.id)) {
    complete(e.id, std::move(mark));
  } else if (!mark.empty()) {
    // Its last attempt was printed while it waited for a retry that the
    // run's end cancelled: the mark comes alone.
    auto alone = std::make_unique<Block>(m_budget, std::string(), false, turn != m_turns.end());
    alone->complete = true;
    alone->trailer = std::move(mark);
    queue(e.id, std::move(alone));
  }
  if (turn != m_turns.end()) {
    turn->second.finished = true;
  }
  pump();
}

void GroupedSink::run_finished(const Report&)
{
  m_final = true;
  pump();
}

void GroupedSink::console_drained()
{
  pump();
}

void GroupedSink::take_lines(JobId id, Stream stream, std::string_view lines)
{
  if (lines.empty()) {
    return;
  }
  Block& block = *m_running.at(id);
  if (&block == m_current && !block.spool.has_unread()) {
    m_console.write(stream, lines);
  } else {
    block.spool.append(stream, lines);
  }
}

void GroupedSink::complete(JobId id, std::string trailer)
{
  auto node = m_running.extract(id);
  std::unique_ptr<Block>& block = node.mapped();
  block->complete = true;
  block->trailer = std::move(trailer);
  queue(id, std::move(block));
}

void GroupedSink::queue(JobId id, std::unique_ptr<Block> block)
{
  if (block->ordered) {
    m_turns[id].blocks.push_back(std::move(block));
  } else {
    m_ended.push_back(std::move(block));
  }
}

void GroupedSink::pump()
{
  if (!m_buffer) {
    m_buffer = std::make_unique_for_overwrite<char[]>(k_piece);
  }
  std::size_t printed = 0;
  for (;;) {
    if (m_console.backlogged()) {
      if (!m_final) {
        return; // console_drained() goes on
      }
      m_console.flush();
    }
    if (m_current == nullptr && (m_current = next_block()) == nullptr) {
      return;
    }
    Block& block = *m_current;
    if (!block.begun) {
      begin(block);
    }
    if (const auto piece = block.spool.read({m_buffer.get(), k_piece})) {
      m_console.write(piece->stream, piece->bytes);
      printed += piece->bytes.size();
      if (printed >= k_share && !m_final) {
        if (!m_deferred) {
          m_deferred = true;
          m_defer([this] {
            m_deferred = false;
            pump();
          });
        }
        return;
      }
    } else if (block.complete) {
      finish_current();
    } else {
      return; // printed live: its next lines go straight to the console
    }
  }
}

GroupedSink::Block* GroupedSink::next_block()
{
  m_current_ended = !m_ended.empty();
  if (m_current_ended) {
    return m_ended.front().get();
  }
  while (!m_turns.empty()) {
    const auto head = m_head ? m_turns.find(*m_head) : m_turns.begin();
    m_head = head->first;
    Turn& turn = head->second;
    if (!turn.blocks.empty()) {
      return turn.blocks.front().get();
    }
    if (const auto running = m_running.find(head->first); running != m_running.end()) {
      return running->second.get();
    }
    if (!turn.finished && !m_final) {
      return nullptr; // its next attempt has yet to start
    }
    m_turns.erase(head);
    m_head.reset();
  }
  return nullptr;
}

void GroupedSink::begin(Block& block)
{
  block.begun = true;
  if (block.folded) {
    block.section = section_name(m_process, ++m_sections, block.tag);
    const std::string title = block.how.empty() ? block.tag : block.tag + " " + block.how;
    m_console.write(Stream::out, fold_start(m_ci, block.section, title, block.started));
  }
}

void GroupedSink::finish_current()
{
  const Block& block = *m_current;
  if (block.folded) {
    m_console.write(Stream::out, fold_end(m_ci, block.section, block.ended));
  }
  m_console.write(Stream::out, block.trailer);
  if (m_current_ended) {
    m_ended.pop_front();
  } else {
    m_turns.at(*m_head).blocks.pop_front();
  }
  m_current = nullptr;
}

} // namespace fanout
