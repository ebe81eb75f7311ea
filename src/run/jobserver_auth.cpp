// SPDX-License-Identifier: MIT
#include "run/jobserver_auth.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace fanout {

namespace {

constexpr std::string_view k_auth = "--jobserver-auth=";
constexpr std::string_view k_old_auth = "--jobserver-fds=";

// MAKEFLAGS cut at its spaces, a backslash keeping the next character in
// the word (make escapes the spaces of values so). `tail` is what follows
// the word `--`: variable definitions, kept as written.
struct Words {
  std::vector<std::string_view> flags;
  std::string_view tail;
};

Words words_of(std::string_view text)
{
  Words words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') {
      i += text[i] == '\\' && i + 1 < text.size() ? 2 : 1;
    }
    const std::string_view word = text.substr(start, i - start);
    if (word == "--") {
      words.tail = text.substr(start);
      break;
    }
    words.flags.push_back(word);
  }
  return words;
}

bool is_jobserver_word(std::string_view word)
{
  if (word.starts_with(k_auth) || word.starts_with(k_old_auth)) {
    return true;
  }
  return word.starts_with("-j") &&
         std::all_of(word.begin() + 2, word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A descriptor number: digits only, no sign.
bool read_fd(std::string_view text, int& fd)
{
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
  return error == std::errc() && end == text.data() + text.size() && !text.empty() &&
         text.front() != '-';
}

JobserverAuth auth_of(std::string_view word, std::string_view value)
{
  JobserverAuth auth;
  auth.text = std::string(word);
  auth.form = JobserverAuth::Form::invalid;
  if (value.starts_with("fifo:")) {
    if (value.size() > 5) {
      auth.form = JobserverAuth::Form::fifo;
      auth.fifo = std::string(value.substr(5));
    }
    return auth;
  }
  const std::size_t comma = value.find(',');
  if (comma != std::string_view::npos && read_fd(value.substr(0, comma), auth.read_fd) &&
      read_fd(value.substr(comma + 1), auth.write_fd)) {
    auth.form = JobserverAuth::Form::pipe;
  } else {
    auth.read_fd = auth.write_fd = -1;
  }
  return auth;
}

std::string joined(const std::vector<std::string_view>& words, std::string_view tail)
{
  std::string text;
  for (const std::string_view word : words) {
    text.append(text.empty() ? "" : " ").append(word);
  }
  if (!tail.empty()) {
    text.append(text.empty() ? "" : " ").append(tail);
  }
  return text;
}

std::vector<std::string_view> kept_flags(const Words& words)
{
  std::vector<std::string_view> kept;
  std::copy_if(words.flags.begin(), words.flags.end(), std::back_inserter(kept),
               [](std::string_view word) { return !is_jobserver_word(word); });
  return kept;
}

} // namespace

JobserverAuth parse_jobserver_auth(std::string_view makeflags)
{
  JobserverAuth auth;
  for (const std::string_view word : words_of(makeflags).flags) {
    if (word.starts_with(k_auth)) {
      auth = auth_of(word, word.substr(k_auth.size()));
    } else if (word.starts_with(k_old_auth)) {
      auth = auth_of(word, word.substr(k_old_auth.size()));
    }
  }
  return auth;
}

std::string without_jobserver(std::string_view makeflags)
{
  const Words words = words_of(makeflags);
  return joined(kept_flags(words), words.tail);
}

std::string with_jobserver(std::string_view makeflags, std::size_t jobs, int read_fd, int write_fd)
{
  const Words words = words_of(makeflags);
  std::string text = joined(kept_flags(words), {});
  text += " -j" + std::to_string(jobs) + " " + std::string(k_auth) + std::to_string(read_fd) + "," +
          std::to_string(write_fd);
  if (!words.tail.empty()) {
    text.append(" ").append(words.tail);
  }
  return text;
}

} // namespace fanout
