// SPDX-License-Identifier: MIT
#include "jobfile/duration.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace fanout {
namespace {

// 100 days. Far more than any timeout needs, and small enough that no sum or
// product below comes near overflowing.
constexpr std::int64_t k_max_ms = 100LL * 24 * 60 * 60 * 1000;

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Largest first: the order components must come in.
constexpr Unit k_units[] = {{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};
constexpr std::size_t k_seconds = 2;

// A decimal number as written: `whole` digits, then optionally '.' and
// `fraction` digits.
struct Number {
  std::string_view whole;
  std::string_view fraction;
};

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

std::size_t count_digits(std::string_view text)
{
  return static_cast<std::size_t>(std::find_if_not(text.begin(), text.end(), is_digit) -
                                  text.begin());
}

// Takes a number off the front of `text`.
std::optional<Number> take_number(std::string_view& text)
{
  Number number;
  number.whole = text.substr(0, count_digits(text));
  if (number.whole.empty()) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(number.whole.size());
  if (rest.starts_with('.')) {
    number.fraction = rest.substr(1, count_digits(rest.substr(1)));
    if (number.fraction.empty()) {
      return std::nullopt;
    }
    rest.remove_prefix(1 + number.fraction.size());
  }
  text = rest;
  return number;
}

// Takes a unit suffix off the front of `text`; "ms" before "m".
std::optional<std::size_t> take_unit(std::string_view& text)
{
  for (std::size_t i = std::size(k_units); i-- > 0;) {
    if (text.starts_with(k_units[i].suffix)) {
      text.remove_prefix(k_units[i].suffix.size());
      return i;
    }
  }
  return std::nullopt;
}

// Sums durations exactly: whole milliseconds, plus the fractions of a
// millisecond as decimal digits, so "1.0005s" rounds up as it should instead
// of the way its nearest double happens to fall.
class ExactSum {
public:
  // Adds `number` times `unit_ms`. False once the sum is past `k_max_ms`.
  bool add(const Number& number, std::int64_t unit_ms)
  {
    std::int64_t whole = 0;
    for (const char c : number.whole) {
      whole = whole * 10 + (c - '0');
      if (whole > k_max_ms) {
        return false;
      }
    }
    // The fraction times the unit, by long multiplication: what carries out
    // of the digits is whole milliseconds, the digits left are the rest.
    std::string digits(number.fraction);
    std::int64_t carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
      const std::int64_t product = (*it - '0') * unit_ms + carry;
      *it = static_cast<char>('0' + product % 10);
      carry = product / 10;
    }
    m_ms += whole * unit_ms + carry + add_fraction(digits);
    return m_ms <= k_max_ms;
  }

  // The sum, rounded to the nearest millisecond (halves up), unless it is
  // past `k_max_ms`.
  std::optional<Duration> rounded() const
  {
    const std::int64_t ms = m_ms + (!m_fraction.empty() && m_fraction.front() >= '5' ? 1 : 0);
    if (ms > k_max_ms) {
      return std::nullopt;
    }
    return Duration(ms);
  }

private:
  // Adds `digits` (a fraction) to `m_fraction`; returns the carry out (0 or 1).
  int add_fraction(std::string digits)
  {
    if (digits.size() < m_fraction.size()) {
      digits.resize(m_fraction.size(), '0');
    } else {
      m_fraction.resize(digits.size(), '0');
    }
    int carry = 0;
    for (std::size_t i = digits.size(); i-- > 0;) {
      const int sum = (m_fraction[i] - '0') + (digits[i] - '0') + carry;
      m_fraction[i] = static_cast<char>('0' + sum % 10);
      carry = sum / 10;
    }
    return carry;
  }

  std::int64_t m_ms = 0;
  std::string m_fraction;
};

char to_lower(char c)
{
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_space(char c)
{
  return c == ' ' || c == '\t';
}

bool is_letter(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The unit suffix that a word such as "minutes" or "Sec" stands for.
std::string_view unit_for_word(std::string_view word)
{
  struct Spelling {
    std::string_view word;
    std::string_view suffix;
  };
  static constexpr Spelling k_spellings[] = {
    {"ms", "ms"}, {"msec", "ms"}, {"msecs", "ms"}, {"millisecond", "ms"}, {"milliseconds", "ms"},
    {"s", "s"},   {"sec", "s"},   {"secs", "s"},   {"second", "s"},       {"seconds", "s"},
    {"m", "m"},   {"min", "m"},   {"mins", "m"},   {"minute", "m"},       {"minutes", "m"},
    {"h", "h"},   {"hr", "h"},    {"hrs", "h"},    {"hour", "h"},         {"hours", "h"},
  };
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), to_lower);
  for (const Spelling& spelling : k_spellings) {
    if (spelling.word == lower) {
      return spelling.suffix;
    }
  }
  return {};
}

std::string_view skip_spaces(std::string_view text)
{
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

} // namespace

std::optional<Duration> parse_duration(std::string_view text)
{
  ExactSum sum;
  std::optional<std::size_t> previous_unit;
  do {
    const std::optional<Number> number = take_number(text);
    if (!number) {
      return std::nullopt;
    }
    // A number alone is seconds; after a component, a number needs a unit.
    const std::optional<std::size_t> unit =
      text.empty() && !previous_unit ? std::optional(k_seconds) : take_unit(text);
    if (!unit || (previous_unit && *unit <= *previous_unit)) {
      return std::nullopt;
    }
    if (!sum.add(*number, k_units[*unit].ms)) {
      return std::nullopt;
    }
    previous_unit = unit;
  } while (!text.empty());
  return sum.rounded();
}

std::optional<Duration> duration_from_seconds(double seconds)
{
  constexpr double k_max_seconds = static_cast<double>(k_max_ms / 1000);
  // Written so that NaN fails too.
  if (!(seconds >= 0 && seconds <= k_max_seconds)) {
    return std::nullopt;
  }
  return Duration(std::llround(seconds * 1000));
}

bool is_negative_duration(std::string_view text)
{
  if (!text.starts_with('-')) {
    return false;
  }
  const std::string_view magnitude = text.substr(1);
  const std::optional<Duration> duration = parse_duration(magnitude);
  return duration ? *duration > Duration::zero() : !suggest_duration(magnitude).empty();
}

std::string suggest_duration(std::string_view text)
{
  std::string candidate;
  std::size_t components = 0;
  text = skip_spaces(text);
  while (!text.empty()) {
    const std::string_view before = text;
    if (!take_number(text)) {
      return {};
    }
    const std::string_view number = before.substr(0, before.size() - text.size());
    text = skip_spaces(text);
    const std::size_t word_length = static_cast<std::size_t>(
      std::find_if_not(text.begin(), text.end(), is_letter) - text.begin());
    const std::string_view word = text.substr(0, word_length);
    text = skip_spaces(text.substr(word_length));
    ++components;
    candidate += number;
    if (word.empty()) {
      // A bare number of seconds is fine, but only on its own.
      if (components > 1 || !text.empty()) {
        return {};
      }
      continue;
    }
    const std::string_view suffix = unit_for_word(word);
    if (suffix.empty()) {
      return {};
    }
    candidate += suffix;
  }
  if (candidate.empty() || !parse_duration(candidate)) {
    return {};
  }
  return candidate;
}

std::string format_duration(Duration d)
{
  const std::int64_t count = d.count();
  // Through unsigned, so that even the most negative count has a magnitude.
  const std::uint64_t ms = count < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(count)
                                     : static_cast<std::uint64_t>(count);
  std::string out = count < 0 ? "-" : "";
  if (ms < 1000) {
    return out + (ms == 0 ? "0s" : std::to_string(ms) + "ms");
  }
  const std::uint64_t hours = ms / 3'600'000;
  const std::uint64_t minutes = ms / 60'000 % 60;
  const std::uint64_t seconds = ms / 1000 % 60;
  const std::uint64_t millis = ms % 1000;
  if (hours > 0) {
    out += std::to_string(hours) + 'h';
  }
  if (minutes > 0) {
    out += std::to_string(minutes) + 'm';
  }
  if (seconds > 0 || millis > 0) {
    out += std::to_string(seconds);
    if (millis > 0) {
      std::string fraction = std::to_string(1000 + millis).substr(1);
      fraction.erase(fraction.find_last_not_of('0') + 1);
      out += '.' + fraction;
    }
    out += 's';
  }
  return out;
}

} // namespace fanout
