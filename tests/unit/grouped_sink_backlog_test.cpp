// SPDX-License-Identifier: MIT
// A GroupedSink feeding a console whose reader is slow: it waits for the
// console's backlog to drain instead of queueing a whole block there.
#include "grouped_sink_support.hpp"
#include "output/grouped_sink.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace fanout {
namespace {

constexpr std::size_t k_high = 1024 * 1024;
constexpr std::size_t k_low = 256 * 1024;

// A console writing into a pipe that the test reads when it chooses, with
// the backlog's "drained" calls counted for the test's thread to act on,
// as the event loop would.
class SlowReader : public ::testing::Test {
protected:
  SlowReader()
  {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    m_read_end = fds[0];
    m_write_end = fds[1];
    m_console = std::make_unique<Console>(m_write_end, m_write_end);
    m_console->on_backlog(
      [this](bool over) {
        if (!over) {
          const std::lock_guard lock(m_mutex);
          ++m_drains;
          m_changed.notify_all();
        }
      },
      k_high, k_low);
  }

  ~SlowReader() override
  {
    m_console->flush();
    m_console.reset();
    ::close(m_write_end);
    if (m_reader.joinable()) {
      m_reader.join();
    }
    ::close(m_read_end);
  }

  // Starts reading everything, on a thread of its own, until `size` bytes.
  void read_in_background(std::size_t size)
  {
    m_reader = std::thread([this, size] {
      char buffer[65536];
      std::size_t total = 0;
      while (total < size) {
        const ssize_t n = ::read(m_read_end, buffer, sizeof buffer);
        if (n <= 0) {
          break;
        }
        const std::lock_guard lock(m_mutex);
        m_text.append(buffer, static_cast<std::size_t>(n));
        total += static_cast<std::size_t>(n);
        m_changed.notify_all();
      }
      const std::lock_guard lock(m_mutex);
      m_reading = false;
      m_changed.notify_all();
    });
  }

  // Waits until the console drained once more or the reader is done; true
  // for a drain.
  bool wait_for_drain()
  {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_drains > m_seen || !m_reading; });
    const bool drained = m_drains > m_seen;
    m_seen = m_drains;
    return drained;
  }

  std::string text()
  {
    const std::lock_guard lock(m_mutex);
    return m_text;
  }

  Console& console() { return *m_console; }

  // A job that wrote about 16 MB, which ends: its expected block.
  std::string end_a_big_job(test::SinkDriver& jobs)
  {
    const std::string lines = test::numbered_lines(200000);
    std::string expected;
    jobs.start(0);
    for (int round = 0; round < 4; ++round) {
      jobs.write(0, Stream::out, lines);
      expected += test::tagged("build | ", lines);
    }
    jobs.end(0);
    return expected;
  }

private:
  int m_read_end = -1;
  int m_write_end = -1;
  std::unique_ptr<Console> m_console;
  std::thread m_reader;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::string m_text;
  std::size_t m_drains = 0;
  std::size_t m_seen = 0;
  bool m_reading = true;
};

TEST_F(SlowReader, ABlockWaitsForTheConsolesBacklogToDrain)
{
  test::SinkDriver jobs(console(), OutputMode::group);
  const std::string expected = end_a_big_job(jobs);

  // Nothing reads yet: the console took what its pipe holds, queued past
  // its mark, and the sink stopped there.
  EXPECT_TRUE(console().backlogged());
  EXPECT_EQ(jobs.run_deferred(), 0U);

  read_in_background(expected.size());
  std::size_t drains = 0;
  while (wait_for_drain()) {
    ++drains;
    jobs.sink().console_drained();
    jobs.run_deferred();
  }
  EXPECT_GE(drains, 2U);
  EXPECT_TRUE(text() == expected);
}

TEST_F(SlowReader, TheRunsEndPrintsWhatIsLeftWaitingForTheReader)
{
  test::SinkDriver jobs(console(), OutputMode::group);
  const std::string expected = end_a_big_job(jobs);
  EXPECT_TRUE(console().backlogged());

  read_in_background(expected.size());
  jobs.sink().run_finished(Report{});
  while (wait_for_drain()) {
  }
  EXPECT_TRUE(text() == expected);
}

} // namespace
} // namespace fanout
