// SPDX-License-Identifier: MIT
#include "exec/ssh_remote.hpp"

#include "inputs/shell_quote.hpp"

#include <algorithm>
#include <charconv>

namespace fanout {

namespace {

// The watchdog. Its arguments: the grace in seconds, the mark, the folder,
// the number of environment entries, the entries, then "sh" and a command
// or "argv" and a program with its arguments. The job is forked, so that
// the watchdog can wait for it and see how it ended; its exec failure
// comes back through a close-on-exec pipe (Perl's pipes are), as
// posix_spawn reports one. A SIGCHLD wakes the select() that waits for the
// connection's end through a pipe to itself. No modules: loading POSIX
// alone costs more than the rest (WNOHANG is 1, ENOENT 2). No single
// quote, so that it quotes plainly.
constexpr std::string_view k_watchdog = R"(my ($grace, $mark, $cwd, $n) = splice @ARGV, 0, 4;
for (splice @ARGV, 0, $n) { my ($k, $v) = split /=/, $_, 2; $ENV{$k} = $v }
if (shift(@ARGV) eq "sh") { @ARGV = ("/bin/sh", "-c", $ARGV[0]) }
pipe my $wake, my $waker; pipe my $fail, my $failed;
$SIG{CHLD} = sub { syswrite $waker, "x" };
my $job = fork;
if (!$job) {
  setpgrp; open STDIN, "<", "/dev/null";
  chdir $cwd or syswrite($failed, "127 cwd \"$cwd\": $!"), exit 127;
  { exec { $ARGV[0] } @ARGV }
  syswrite $failed, $! == 2 ? "127 program not found: $ARGV[0]" : "126 cannot run \"$ARGV[0]\": $!";
  exit 127;
}
close $failed; $SIG{PIPE} = "IGNORE";
my $why = join "", <$fail>;
my ($bits, $left) = (""); vec($bits, 0, 1) = vec($bits, fileno $wake, 1) = 1;
while (waitpid($job, 1) == 0) {
  my ($found, $rest) = select(my $ready = $bits, undef, undef, $left);
  $left = $rest if defined $left;
  if ($found > 0 && vec($ready, fileno $wake, 1)) { sysread $wake, my $x, 64 }
  if ($found > 0 && vec($ready, 0, 1) && !sysread STDIN, my $y, 4096) {
    kill "TERM", -$job; kill "CONT", -$job; vec($bits, 0, 1) = 0; $left = $grace;
  } elsif (defined $left && $left <= 0) { kill "KILL", -$job; undef $left }
}
my $s = $?; kill "KILL", -$job;
syswrite STDERR, "\x1f$mark " . ($why ? "error $why" : $s & 127 ? "signal " . ($s & 127) : "exit " . ($s >> 8)) . "\n";
exit($s & 127 ? 128 + ($s & 127) : $s >> 8);)";

// The longest last word: the mark aside, a reason that names a long folder.
constexpr std::size_t k_max_word = 8192;
// The longest last line kept for a message.
constexpr std::size_t k_max_line = 1024;

// `text` as a decimal number, if it is one.
std::optional<int> number_in(std::string_view text)
{
  int number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return number;
}

// The word after the mark: "exit N", "signal N" or "error N reason".
std::optional<RemoteEnd> read_word(std::string_view word)
{
  const std::size_t space = word.find(' ');
  const std::string_view kind = word.substr(0, space);
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  word.remove_prefix(space + 1);
  if (kind == "error") {
    const std::size_t gap = word.find(' ');
    const auto code = number_in(word.substr(0, gap));
    if (!code || gap == std::string_view::npos) {
      return std::nullopt;
    }
    return RemoteEnd{RemoteEnd::Kind::not_started, *code, std::string(word.substr(gap + 1))};
  }
  const auto number = number_in(word);
  if (!number || (kind != "exit" && kind != "signal")) {
    return std::nullopt;
  }
  return RemoteEnd{
    kind == "exit" ? RemoteEnd::Kind::exited : RemoteEnd::Kind::signaled, *number, {}};
}

} // namespace

std::string remote_command(const RemoteJob& job)
{
  std::string line = "exec perl -e ";
  append_shell_quoted(line, k_watchdog);
  const auto add = [&line](std::string_view word) {
    line += ' ';
    append_shell_quoted(line, word);
  };
  add(std::to_string(job.grace_seconds));
  add(job.mark);
  add(job.folder);
  add(std::to_string(job.env.size()));
  for (const std::string& entry : job.env) {
    add(entry);
  }
  if (job.argv.empty()) {
    add("sh");
    add(job.cmd);
  } else {
    add("argv");
    for (const std::string& arg : job.argv) {
      add(arg);
    }
  }
  return line;
}

LastWordFilter::LastWordFilter(std::string mark)
    : m_mark(std::string(1, '\x1f').append(mark).append(1, ' '))
{
}

std::string_view LastWordFilter::pass(std::string_view chunk)
{
  std::string_view data = chunk;
  if (!m_held.empty()) {
    m_passed = std::move(m_held);
    m_passed.append(chunk);
    m_held.clear();
    data = m_passed;
  }
  // Only the last unit separator can start the last word; what comes
  // after it must be the start of one: the mark, then one line at most.
  const std::size_t start = data.rfind('\x1f');
  if (start != std::string_view::npos) {
    const std::string_view tail = data.substr(start);
    const std::size_t compared = std::min(tail.size(), m_mark.size());
    const std::size_t newline = tail.find('\n');
    const bool may_be_word = tail.size() <= m_mark.size() + k_max_word &&
                             tail.compare(0, compared, m_mark, 0, compared) == 0 &&
                             (newline == std::string_view::npos || newline + 1 == tail.size());
    if (may_be_word) {
      m_held.assign(tail);
      data = data.substr(0, start);
    }
  }
  remember_last_line(data);
  return data;
}

std::string_view LastWordFilter::finish()
{
  std::string_view held = m_held;
  if (held.size() > m_mark.size() && held.starts_with(m_mark) && held.ends_with('\n')) {
    held.remove_prefix(m_mark.size());
    held.remove_suffix(1);
    m_end = read_word(held);
    if (m_end) {
      m_held.clear();
      return {};
    }
  }
  m_passed = std::move(m_held);
  m_held.clear();
  remember_last_line(m_passed);
  return m_passed;
}

void LastWordFilter::remember_last_line(std::string_view passed)
{
  while (!passed.empty()) {
    const std::size_t newline = passed.find('\n');
    const std::string_view piece = passed.substr(0, newline);
    if (!piece.empty()) {
      if (m_line_ended) {
        m_last_line.clear();
      }
      m_last_line.append(piece.substr(0, k_max_line - std::min(k_max_line, m_last_line.size())));
    }
    m_line_ended = newline != std::string_view::npos;
    if (!m_line_ended) {
      return;
    }
    // ssh ends its own lines with "\r\n".
    while (m_last_line.ends_with('\r')) {
      m_last_line.pop_back();
    }
    passed.remove_prefix(newline + 1);
  }
}

} // namespace fanout
