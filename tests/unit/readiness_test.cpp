// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "jobfile/ready_regex.hpp"
#include "run/readiness.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace fanout {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

ReadySpec log_spec(std::string regex, Duration timeout = std::chrono::seconds(30))
{
  ReadySpec spec;
  spec.kind = ReadySpec::Kind::log;
  spec.log = std::move(regex);
  spec.timeout = timeout;
  return spec;
}

ReadySpec tcp_spec(unsigned short port, Duration timeout = std::chrono::seconds(30))
{
  ReadySpec spec;
  spec.kind = ReadySpec::Kind::tcp;
  spec.host = "127.0.0.1";
  spec.port = port;
  spec.timeout = timeout;
  return spec;
}

// A port on 127.0.0.1 that refuses connections: bound, so nothing else takes
// it, but not listening until the test says so.
tcp::acceptor refusing_acceptor(asio::io_context& io)
{
  tcp::acceptor acceptor(io);
  acceptor.open(tcp::v4());
  acceptor.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor;
}

// Counts the callbacks of the probes it makes, which run on `io` when the
// test drives it. The long default timeouts are ceilings, never reached.
class Readiness : public testing::Test {
protected:
  std::unique_ptr<ReadinessProbe> make_probe(const ReadySpec& spec,
                                             Duration search_turn = ReadinessProbe::k_search_turn)
  {
    return std::make_unique<ReadinessProbe>(
      io, spec, [this] { ++ready; }, [this] { ++timed_out; }, search_turn);
  }

  // Feeds `line`, which must not make a probe of `pattern` ready, then
  // `later`, which must.
  void expect_only_the_later_line_matches(const std::string& pattern, const std::string& line,
                                          const std::string& later)
  {
    auto probe = make_probe(log_spec(pattern));
    probe->start();
    probe->feed(Stream::out, line + "\n");
    io.poll();
    EXPECT_EQ(ready, 0);

    probe->feed(Stream::out, later + "\n");
    io.run();
    EXPECT_EQ(ready, 1);
  }

  asio::io_context io;
  int ready = 0;
  int timed_out = 0;
};

TEST_F(Readiness, LogLineSplitAcrossChunksMatchesOnceComplete)
{
  auto probe = make_probe(log_spec("^ready$"));
  probe->start();
  probe->feed(Stream::out, "rea");
  probe->feed(Stream::out, "dy");
  io.poll();
  EXPECT_EQ(ready, 0);

  probe->feed(Stream::out, "\n");
  EXPECT_EQ(ready, 0); // posted, not called from inside feed()
  io.run();
  EXPECT_EQ(ready, 1);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, LogMatchesALineOnStderr)
{
  auto probe = make_probe(log_spec("listening on [0-9]+"));
  probe->start();
  probe->feed(Stream::err, "listening on 8080\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogSplitsEachStreamApart)
{
  auto probe = make_probe(log_spec("^ready$"));
  probe->start();
  probe->feed(Stream::out, "rea");
  probe->feed(Stream::err, "dy\n");
  io.poll();
  EXPECT_EQ(ready, 0);

  probe->feed(Stream::out, "dy\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogSkipsLinesThatDoNotMatch)
{
  auto probe = make_probe(log_spec("^ready$"));
  probe->start();
  probe->feed(Stream::out, "starting\nalmost ready\n");
  io.poll();
  EXPECT_EQ(ready, 0);

  probe->feed(Stream::out, "ready\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogDropsTheCarriageReturnBeforeTheNewline)
{
  auto probe = make_probe(log_spec("^ready$"));
  probe->start();
  probe->feed(Stream::out, "ready\r\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogMatchesALongLinePieceByPiece)
{
  // The first 64 KiB piece is all 'x' and does not match; the rest does.
  // std::regex would overflow the stack on either piece with this pattern.
  auto probe = make_probe(log_spec("^x*ready$"));
  probe->start();
  probe->feed(Stream::out, std::string(100'000, 'x'));
  probe->feed(Stream::out, "ready\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogLineTooCostlyToSearchDoesNotMatchButLaterLinesStillDo)
{
  expect_only_the_later_line_matches("(x|y)*z", std::string(60'000, 'x'), "z");
}

TEST_F(Readiness, LogSearchNeedingMoreStatesThanTheCapDoesNotMatch)
{
  // Tried at each of its 3,000 starts, "[a-z]*!" runs to the '?' and back:
  // some n*n states, past the cap (ready_regex.hpp) though within n*s*s
  // plus Boost's own cap, which would let this line match.
  expect_only_the_later_line_matches("[a-z]*!", std::string(3'000, 'a') + "?!", "a!");
}

TEST_F(Readiness, LogPiecesLeftForLaterTurnsAreSearchedInOrder)
{
  auto probe = make_probe(log_spec("^ready$"), Duration::zero());
  probe->start();
  probe->feed(Stream::out, "one\ntwo\n");
  probe->feed(Stream::err, "ready\n");
  EXPECT_FALSE(probe->matched()); // no turn to search in yet

  io.run_one(); // "one"
  io.run_one(); // "two"
  EXPECT_FALSE(probe->matched());
  io.run_one(); // "ready", which posts the callback
  EXPECT_TRUE(probe->matched());
  EXPECT_EQ(ready, 0);
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogPieceThatWouldMakeTooMuchWaitIsNotSearched)
{
  auto probe = make_probe(log_spec("^ready$"), Duration::zero());
  probe->start();
  std::string lines;
  while (lines.size() < ReadinessProbe::k_max_waiting) {
    lines += "waiting\n";
  }
  ASSERT_EQ(lines.size(), ReadinessProbe::k_max_waiting);
  probe->feed(Stream::out, lines);
  probe->feed(Stream::out, "ready\n");
  io.poll(); // searches all that waits, one piece a turn
  EXPECT_EQ(ready, 0);

  probe->feed(Stream::out, "ready\n");
  io.run();
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, LogReportsReadyOnce)
{
  auto probe = make_probe(log_spec("ready"));
  probe->start();
  probe->feed(Stream::out, "ready\nready\n");
  probe->feed(Stream::err, "ready\n");
  io.run();
  probe->feed(Stream::out, "ready\n");
  io.restart();
  io.run();
  EXPECT_EQ(ready, 1);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, LogTimesOutWithoutAMatchingLine)
{
  auto probe = make_probe(log_spec("^ready$", milliseconds(50)));
  probe->start();
  probe->feed(Stream::out, "not ready\n");
  io.run();
  EXPECT_EQ(timed_out, 1);
  EXPECT_EQ(ready, 0);
}

TEST_F(Readiness, NoCallbackAfterCancelEvenIfAlreadyPosted)
{
  auto probe = make_probe(log_spec("ready"));
  probe->start();
  probe->feed(Stream::out, "ready\n");
  probe->cancel();
  io.run();
  EXPECT_EQ(ready, 0);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, NoCallbackAfterDestructionEvenIfAlreadyPosted)
{
  auto probe = make_probe(log_spec("ready", milliseconds(0)));
  probe->start();
  io.run_one(); // the timeout, which posts the callback
  EXPECT_EQ(timed_out, 0);

  probe.reset();
  io.run();
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, NoCallbackAfterDestructionWhileConnecting)
{
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  auto probe = make_probe(tcp_spec(acceptor.local_endpoint().port()));
  probe->start();
  probe.reset();
  io.run();
  EXPECT_EQ(ready, 0);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, CallbackMayDestroyTheProbe)
{
  std::unique_ptr<ReadinessProbe> probe;
  auto on_ready = [&] {
    probe.reset();
    ++ready;
  };
  probe = std::make_unique<ReadinessProbe>(io, log_spec("ready"), on_ready, [&] { ++timed_out; });
  probe->start();
  probe->feed(Stream::out, "ready\n");
  io.run();
  EXPECT_EQ(probe, nullptr);
  EXPECT_EQ(ready, 1);
}

TEST_F(Readiness, TcpIsReadyWhenTheAddressAccepts)
{
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  auto probe = make_probe(tcp_spec(acceptor.local_endpoint().port()));
  probe->start();
  io.run();
  EXPECT_EQ(ready, 1);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, TcpRetriesUntilSomethingListens)
{
  tcp::acceptor acceptor = refusing_acceptor(io);
  auto probe = make_probe(tcp_spec(acceptor.local_endpoint().port()));
  probe->start();
  io.run_one(); // the first attempt, refused
  EXPECT_EQ(ready, 0);

  acceptor.listen();
  io.run();
  EXPECT_EQ(ready, 1);
  EXPECT_EQ(timed_out, 0);
}

TEST_F(Readiness, TcpTimesOutWhenNothingListens)
{
  tcp::acceptor acceptor = refusing_acceptor(io);
  auto probe = make_probe(tcp_spec(acceptor.local_endpoint().port(), milliseconds(100)));
  probe->start();
  io.run();
  EXPECT_EQ(timed_out, 1);
  EXPECT_EQ(ready, 0);
}

TEST_F(Readiness, TcpIgnoresOutput)
{
  tcp::acceptor acceptor = refusing_acceptor(io);
  auto probe = make_probe(tcp_spec(acceptor.local_endpoint().port(), milliseconds(50)));
  probe->start();
  probe->feed(Stream::out, "ready\n");
  io.run();
  EXPECT_EQ(timed_out, 1);
  EXPECT_EQ(ready, 0);
}

TEST_F(Readiness, InvalidRegexIsAnError)
{
  EXPECT_EQ(ready_regex_error("(ready"), "Unmatched marking parenthesis ( or \\(");
  EXPECT_EQ(ready_regex_error("^ready on port [0-9]+$"), std::nullopt);
  EXPECT_THROW(make_probe(log_spec("(ready")), Error);
}

} // namespace
} // namespace fanout
