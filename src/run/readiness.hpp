// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "output/stream.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// Watches one daemon until it is ready (fanout(1), JOB FILE, `ready`), or until its
// ready timeout passes:
//   log  ready when a line of its output, stdout or stderr, matches `spec.log`
//        (ECMAScript, searched anywhere in the line). A line is taken without
//        its '\n' and a trailing '\r'; a line longer than
//        LineSplitter::k_max_line is matched piece by piece, as it is printed.
//        A piece too complex to search (the engine's bounds) does not match.
//        Searching holds `io`'s loop for at most `search_turn` plus one
//        search at a time: the pieces left wait, in order, for later turns,
//        so that timers and signals are not held up. A piece that would
//        make more than k_max_waiting bytes wait is not searched: it does
//        not match.
//   tcp  ready when a TCP connection to `spec.host`:`spec.port` succeeds. A
//        failed attempt is retried after 10 ms, then 20, 40, ... up to 200 ms.
// Everything happens on `io`'s thread. Callbacks come from there, posted,
// never from inside a member function; at most one of them comes, once.
class ReadinessProbe {
public:
  // How long searching the output may hold the loop, beyond one search.
  static constexpr Duration k_search_turn{10};
  // How many bytes of output may wait to be searched.
  static constexpr std::size_t k_max_waiting = 1024 * 1024;

  // Compiles `spec.log` once, here (see ready_regex.hpp); throws Error if
  // it is not a valid regex. Watching starts with start(). With a zero
  // `search_turn`, feed() searches nothing and each turn one piece.
  ReadinessProbe(boost::asio::io_context& io, const ReadySpec& spec, std::function<void()> on_ready,
                 std::function<void()> on_timeout, Duration search_turn = k_search_turn);
  // Cancels: no callback comes after destruction, not even one already posted.
  ~ReadinessProbe();
  ReadinessProbe(const ReadinessProbe&) = delete;
  ReadinessProbe& operator=(const ReadinessProbe&) = delete;

  // Starts the `spec.timeout` clock, from now, and for tcp the first attempt.
  // Call it at most once; it does nothing once the probe is ready or cancelled.
  void start();

  // The next `bytes` of the daemon's `stream`, any length, in order per
  // stream. Looked at for kind log only, and only until it is ready; output
  // fed before start() counts too.
  void feed(Stream stream, std::string_view bytes);

  // Stops watching and frees what it held: no callback after this, not even
  // one already posted.
  void cancel();

  // Whether the daemon was found ready, even if on_ready has not run yet:
  // the daemon's end may be handled first. Pieces still waiting to be
  // searched have not been looked at.
  bool matched() const;

private:
  struct State;
  std::shared_ptr<State> m_state;
};

} // namespace fanout
