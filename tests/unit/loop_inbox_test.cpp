// SPDX-License-Identifier: MIT
#include "exec/loop_inbox.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <thread>
#include <utility>
#include <vector>

using fanout::LoopInbox;

TEST(LoopInbox, RunsEveryHandlerOnTheLoopInTheOrderEachThreadHandedItOver)
{
  boost::asio::io_context io;
  LoopInbox inbox(io);
  constexpr int k_threads = 4;
  constexpr int k_each = 2000;
  std::vector<std::pair<int, int>> ran; // (thread, sequence), touched by the loop only
  bool off_loop = false;
  std::thread::id loop_thread;

  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < k_each; ++i) {
        inbox.post([&, t, i] {
          off_loop = off_loop || std::this_thread::get_id() != loop_thread;
          ran.emplace_back(t, i);
        });
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  loop_thread = std::this_thread::get_id();
  io.run();

  EXPECT_FALSE(off_loop);
  ASSERT_EQ(ran.size(), std::size_t{k_threads * k_each});
  std::vector<int> next(k_threads, 0);
  for (const auto& [thread, sequence] : ran) {
    ASSERT_EQ(sequence, next[thread]) << "thread " << thread;
    ++next[thread];
  }
}

TEST(LoopInbox, OneBatchIsOnePostToTheLoop)
{
  boost::asio::io_context io;
  LoopInbox inbox(io);
  int ran = 0;
  for (int i = 0; i < 100; ++i) {
    inbox.post([&] { ++ran; });
  }
  // run_one runs one handler the loop was posted: the whole batch.
  EXPECT_EQ(io.run_one(), 1u);
  EXPECT_EQ(ran, 100);
  EXPECT_EQ(io.poll(), 0u);

  io.restart();               // the loop stopped when it ran out of work
  inbox.post([&] { ++ran; }); // after the batch was taken: a new post
  EXPECT_EQ(io.run_one(), 1u);
  EXPECT_EQ(ran, 101);
}
