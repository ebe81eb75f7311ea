// SPDX-License-Identifier: MIT
#include "output/status_line.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

namespace fanout {

namespace {

// Often enough to look live, seldom enough that a run of many short jobs
// does not spend its terminal's time on redrawing the line.
constexpr auto k_redraw_interval = std::chrono::milliseconds(100);
constexpr auto k_tick = std::chrono::seconds(1);
constexpr std::size_t k_default_width = 80;

// How many members `group` makes, when that is known without reading its
// inputs: every source a list of values or a range, and no member picked
// by name.
std::optional<std::uint64_t> listed_members(const GroupSpec& group)
{
  if (!group.member_patterns.empty()) {
    return std::nullopt;
  }
  std::uint64_t product = 1;
  for (const InputSourceSpec& source : group.sources) {
    std::uint64_t count = 0;
    switch (source.kind) {
    case InputSourceSpec::Kind::values:
      count = source.values.size();
      break;
    case InputSourceSpec::Kind::range: {
      const auto low = static_cast<std::uint64_t>(std::min(source.first, source.last));
      const auto high = static_cast<std::uint64_t>(std::max(source.first, source.last));
      if (high - low == UINT64_MAX) {
        return std::nullopt; // more than a count can hold
      }
      count = high - low + 1;
      break;
    }
    case InputSourceSpec::Kind::lines:
    case InputSourceSpec::Kind::glob:
      return std::nullopt;
    }
    if (count != 0 && product > UINT64_MAX / count) {
      return std::nullopt;
    }
    product *= count;
  }
  return product;
}

// The width of the terminal on stderr, read at each redraw so that the
// line follows a resize; else COLUMNS, else 80.
std::size_t terminal_width()
{
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    const std::string_view text(columns);
    std::size_t width = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (error == std::errc() && end == text.data() + text.size() && width > 0) {
      return width;
    }
  }
  return k_default_width;
}

} // namespace

bool shows_status(StatusMode mode, const Console& console)
{
  if (mode == StatusMode::never || !console.is_tty(Stream::err)) {
    return false;
  }
  const char* term = std::getenv("TERM");
  return mode == StatusMode::always ||
         (term != nullptr && *term != '\0' && std::string_view(term) != "dumb");
}

StatusLine::StatusLine(boost::asio::io_context& io, Console& console,
                       const std::vector<JobSpec>& jobs, const std::vector<JobId>& selected)
    : m_console(console), m_redraw(io), m_tick(io), m_start(Clock::now()), m_next_draw(m_start),
      m_file_jobs(jobs.size())
{
  for (const JobId id : selected) {
    if (!jobs[id].group) {
      ++m_plain;
    } else if (const auto members = listed_members(*jobs[id].group)) {
      m_listed += *members;
      m_listing_groups.insert(jobs[id].name);
    } else {
      m_unlisted = true;
    }
  }
  m_tick.expires_at(m_start + k_tick);
  tick();
}

StatusLine::~StatusLine()
{
  if (!m_ended) {
    m_console.set_status({}); // the run ended early: no line must stay below its message
  }
}

void StatusLine::job_started(const JobEvent& e)
{
  if (e.attempt == 1 && e.id >= m_file_jobs) {
    ++m_members;
  }
  m_running.push_back({e.id, tag_of(e.label, e.attempt)});
  changed();
}

void StatusLine::attempt_ended(const JobEvent& e, const Outcome&, Seconds)
{
  std::erase_if(m_running, [&e](const Running& job) { return job.id == e.id; });
  changed();
}

void StatusLine::job_finished(const JobEvent&, const JobResult& result)
{
  ++m_done;
  m_failed += fails_run(result) ? 1 : 0;
  changed();
}

void StatusLine::job_done_earlier(std::string_view group, const JobResult&)
{
  if (group.empty()) {
    ++m_plain_earlier;
  } else if (m_listing_groups.contains(std::string(group))) {
    ++m_listed_earlier;
  }
  changed();
}

void StatusLine::all_jobs_ended()
{
  // The timers must not keep the event loop, and so the run, going.
  m_ended = true;
  m_redraw.cancel();
  m_tick.cancel();
  m_console.set_status({});
}

StatusCounts StatusLine::counts() const
{
  // Members started past the listed ones come from a group that reads its
  // inputs as it goes: the total is at least that.
  const std::size_t listed = m_listed - m_listed_earlier;
  return {m_done, m_plain - m_plain_earlier + std::max(listed, m_members), m_unlisted, m_failed};
}

void StatusLine::changed()
{
  if (m_redraw_pending || m_ended) {
    return;
  }
  m_redraw_pending = true;
  // A time already past makes the wait end at the loop's next turn: the
  // events of one turn (a batch of jobs started) make one redraw.
  m_redraw.expires_at(std::max(Clock::now(), m_next_draw));
  m_redraw.async_wait([this](const boost::system::error_code& error) {
    m_redraw_pending = false;
    if (!error) {
      draw();
    }
  });
}

void StatusLine::draw()
{
  const Clock::time_point now = Clock::now();
  m_next_draw = now + k_redraw_interval;
  std::vector<std::string_view> tags;
  tags.reserve(m_running.size());
  for (const Running& job : m_running) {
    tags.push_back(job.tag);
  }
  // A column short of the width: a terminal that wraps as soon as the last
  // column is written would leave the cursor on the next line, and the
  // next erase would miss the line.
  m_console.set_status(status_text(counts(), tags, now - m_start, terminal_width() - 1));
}

void StatusLine::tick()
{
  m_tick.async_wait([this](const boost::system::error_code& error) {
    if (error) {
      return;
    }
    changed();
    m_tick.expires_at(m_tick.expiry() + k_tick);
    tick();
  });
}

} // namespace fanout
