// SPDX-License-Identifier: MIT
#include "run/readiness.hpp"

#include "error.hpp"
#include "jobfile/ready_regex.hpp"
#include "output/line_splitter.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace fanout {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Duration k_first_retry_delay{10};
constexpr Duration k_max_retry_delay{200};

bool matches(const boost::regex& pattern, std::string_view line)
{
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  try {
    return boost::regex_search(line.begin(), line.end(), pattern);
  } catch (const std::runtime_error&) {
    // The search went past Boost's time or memory bounds. That piece does
    // not make the daemon ready; a later line still may.
    return false;
  }
}

// The daemon's output, cut into pieces, while it is not ready yet.
struct LogWatch {
  explicit LogWatch(boost::regex pattern) : pattern(std::move(pattern)) {}

  // Keeps `piece` for a later turn, unless it would make more than
  // k_max_waiting bytes wait (with a '\n' each): then it is dropped.
  void keep(std::string_view piece);
  bool has_waiting() const { return searched < waiting.size(); }
  // The oldest piece waiting; valid until the next keep().
  std::string_view take();

  boost::regex pattern;
  LineSplitter splitters[2];
  // The pieces of both streams left for later turns, in the order they came,
  // each followed by a '\n' (no piece holds one), the first `searched` bytes
  // done: one buffer, so that what waits costs its bytes and no more.
  std::string waiting;
  std::size_t searched = 0;
};

void LogWatch::keep(std::string_view piece)
{
  if (waiting.size() - searched + piece.size() + 1 > ReadinessProbe::k_max_waiting) {
    return;
  }
  if (searched > waiting.size() / 2) {
    waiting.erase(0, searched);
    searched = 0;
  }
  waiting.append(piece);
  waiting.push_back('\n');
}

std::string_view LogWatch::take()
{
  std::string_view rest = std::string_view(waiting).substr(searched);
  rest = rest.substr(0, rest.find('\n'));
  searched += rest.size() + 1;
  return rest;
}

} // namespace

// What the probe shares with its pending operations. The probe alone owns
// it; handlers hold a weak_ptr, so one that runs after the probe is gone
// finds nothing, and one that runs after it settled does nothing.
struct ReadinessProbe::State : std::enable_shared_from_this<State> {
  State(asio::io_context& io, const ReadySpec& spec, std::function<void()> on_ready,
        std::function<void()> on_timeout, Duration search_turn);

  void start();
  void feed(Stream stream, std::string_view bytes);
  // Searches the pieces waiting, for one turn, then posts itself for the
  // next if some are left.
  void search_waiting();
  // Posts search_waiting(), unless nothing waits or it is posted already.
  void search_later();
  void found_ready();
  void cancel();
  void connect();
  void on_connect(const error_code& error);
  // Stops watching, then posts `callback`, the one outcome of the probe.
  void report(std::function<void()> callback);
  void stop();

  asio::io_context& io;
  ReadySpec::Kind kind;
  Duration timeout;
  std::function<void()> on_ready;
  std::function<void()> on_timeout;
  std::function<void()> posted; // reported but not called yet
  bool started = false;
  bool settled = false; // ready, timed out or cancelled
  bool matched = false; // ready, whether or not on_ready has run yet
  Duration search_turn;
  bool search_posted = false;
  asio::steady_timer deadline;
  std::unique_ptr<LogWatch> log; // kind log, until settled
  tcp::endpoint endpoint;        // kind tcp
  tcp::socket socket;
  asio::steady_timer retry;
  Duration retry_delay = k_first_retry_delay;
};

ReadinessProbe::State::State(asio::io_context& io, const ReadySpec& spec,
                             std::function<void()> on_ready, std::function<void()> on_timeout,
                             Duration search_turn)
    : io(io), kind(spec.kind), timeout(spec.timeout), on_ready(std::move(on_ready)),
      on_timeout(std::move(on_timeout)), search_turn(search_turn), deadline(io), socket(io),
      retry(io)
{
  if (kind == ReadySpec::Kind::tcp) {
    endpoint = tcp::endpoint(asio::ip::make_address(spec.host), spec.port);
    return;
  }
  try {
    log = std::make_unique<LogWatch>(compile_ready_regex(spec.log));
  } catch (const boost::regex_error& e) {
    throw Error("fanout: error: ready log regex \"" + spec.log + "\" is not valid: " + e.what());
  }
}

void ReadinessProbe::State::start()
{
  assert(!started);
  started = true;
  if (settled) {
    return;
  }
  deadline.expires_after(timeout);
  deadline.async_wait([weak = weak_from_this()](const error_code& ec) {
    const auto self = weak.lock();
    if (!ec && self && !self->settled) {
      self->report(std::exchange(self->on_timeout, nullptr));
    }
  });
  if (kind == ReadySpec::Kind::tcp) {
    connect();
  }
}

void ReadinessProbe::State::feed(Stream stream, std::string_view bytes)
{
  if (!log) {
    return; // kind tcp, or settled
  }
  // Once a piece waits, every later one waits behind it: pieces are searched
  // in the order they came.
  const auto turn_end = Clock::now() + search_turn;
  bool ready = false;
  log->splitters[index_of(stream)].feed(bytes, [&](std::string_view piece) {
    if (ready) {
      return;
    }
    if (!log->has_waiting() && Clock::now() < turn_end) {
      ready = matches(log->pattern, piece);
    } else {
      log->keep(piece);
    }
  });
  // Reported only now: reporting frees the splitter that is cutting lines.
  if (ready) {
    found_ready();
    return;
  }
  search_later();
}

void ReadinessProbe::State::search_waiting()
{
  search_posted = false;
  if (!log) {
    return; // settled
  }
  const auto turn_end = Clock::now() + search_turn;
  do {
    if (matches(log->pattern, log->take())) {
      found_ready();
      return;
    }
  } while (log->has_waiting() && Clock::now() < turn_end);
  search_later();
}

void ReadinessProbe::State::search_later()
{
  if (search_posted || !log->has_waiting()) {
    return;
  }
  search_posted = true;
  asio::post(io, [weak = weak_from_this()] {
    if (const auto self = weak.lock()) {
      self->search_waiting();
    }
  });
}

void ReadinessProbe::State::found_ready()
{
  matched = true;
  report(std::exchange(on_ready, nullptr));
}

void ReadinessProbe::State::cancel()
{
  stop();
  posted = nullptr;
}

void ReadinessProbe::State::connect()
{
  // A closed socket is opened by async_connect, a fresh one each attempt.
  socket.async_connect(endpoint, [weak = weak_from_this()](const error_code& ec) {
    const auto self = weak.lock();
    if (self && !self->settled) {
      self->on_connect(ec);
    }
  });
}

void ReadinessProbe::State::on_connect(const error_code& error)
{
  if (!error) {
    report(std::exchange(on_ready, nullptr));
    return;
  }
  // Most likely nothing listens yet: the daemon is still starting.
  error_code ignored;
  socket.close(ignored);
  retry.expires_after(retry_delay);
  retry_delay = std::min(retry_delay * 2, k_max_retry_delay);
  retry.async_wait([weak = weak_from_this()](const error_code& ec) {
    const auto self = weak.lock();
    if (!ec && self && !self->settled) {
      self->connect();
    }
  });
}

void ReadinessProbe::State::report(std::function<void()> callback)
{
  stop();
  posted = std::move(callback);
  asio::post(io, [weak = weak_from_this()] {
    if (const auto self = weak.lock()) {
      // Taken out before the call, which may destroy the probe.
      if (const auto callback = std::exchange(self->posted, nullptr)) {
        callback();
      }
    }
  });
}

void ReadinessProbe::State::stop()
{
  settled = true;
  on_ready = nullptr;
  on_timeout = nullptr;
  log.reset();
  deadline.cancel();
  retry.cancel();
  error_code ignored;
  socket.close(ignored);
}

ReadinessProbe::ReadinessProbe(asio::io_context& io, const ReadySpec& spec,
                               std::function<void()> on_ready, std::function<void()> on_timeout,
                               Duration search_turn)
    : m_state(
        std::make_shared<State>(io, spec, std::move(on_ready), std::move(on_timeout), search_turn))
{
}

ReadinessProbe::~ReadinessProbe()
{
  m_state->cancel();
}

void ReadinessProbe::start()
{
  m_state->start();
}

void ReadinessProbe::feed(Stream stream, std::string_view bytes)
{
  m_state->feed(stream, bytes);
}

void ReadinessProbe::cancel()
{
  m_state->cancel();
}

bool ReadinessProbe::matched() const
{
  return m_state->matched;
}

} // namespace fanout
