// SPDX-License-Identifier: MIT
#include "jobfile/duration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace fanout {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Parses each of `texts`, so one assertion covers a whole table.
std::vector<std::optional<Duration>> parse_all(const std::vector<std::string>& texts)
{
  std::vector<std::optional<Duration>> parsed;
  for (const std::string& text : texts) {
    parsed.push_back(parse_duration(text));
  }
  return parsed;
}

std::vector<std::string> suggest_all(const std::vector<std::string>& texts)
{
  std::vector<std::string> suggestions;
  for (const std::string& text : texts) {
    suggestions.push_back(suggest_duration(text));
  }
  return suggestions;
}

TEST(ParseDuration, AcceptsEachUnit)
{
  EXPECT_EQ(
    parse_all({"250ms", "30s", "5m", "1h"}),
    (std::vector<std::optional<Duration>>{milliseconds(250), seconds(30), minutes(5), hours(1)}));
}

TEST(ParseDuration, AcceptsComponentsLargestFirst)
{
  EXPECT_EQ(parse_all({"1h30m", "2m30s", "1s500ms", "1h2m3s4ms"}),
            (std::vector<std::optional<Duration>>{minutes(90), seconds(150), milliseconds(1500),
                                                  milliseconds(3'723'004)}));
}

TEST(ParseDuration, AcceptsBareNumberOfSeconds)
{
  EXPECT_EQ(parse_all({"30", "2.5", "0", "007"}),
            (std::vector<std::optional<Duration>>{seconds(30), milliseconds(2500), milliseconds(0),
                                                  seconds(7)}));
}

TEST(ParseDuration, AcceptsFractionInAnyComponent)
{
  EXPECT_EQ(parse_all({"1.5s", "1.5h", "0.25m", "1h0.5m", "2.5ms"}),
            (std::vector<std::optional<Duration>>{milliseconds(1500), minutes(90), seconds(15),
                                                  milliseconds(3'630'000), milliseconds(3)}));
}

TEST(ParseDuration, RoundsToNearestMillisecondHalvesUp)
{
  EXPECT_EQ(
    parse_all({"0.0004", "0.0005", "1.0005s", "0.4ms", "0.5ms", "2.99999999999999999999s"}),
    (std::vector<std::optional<Duration>>{milliseconds(0), milliseconds(1), milliseconds(1001),
                                          milliseconds(0), milliseconds(1), milliseconds(3000)}));
}

TEST(ParseDuration, RoundsTheExactSumOfFractions)
{
  // 0.3ms twice is 0.6ms: rounding each part alone would give 0.
  EXPECT_EQ(parse_duration("0.0003s0.3ms"), milliseconds(1));
}

TEST(ParseDuration, RejectsUnitsOutOfOrder)
{
  EXPECT_EQ(parse_all({"30m1h", "1s1m", "500ms1s", "1m1h"}),
            (std::vector<std::optional<Duration>>(4, std::nullopt)));
}

TEST(ParseDuration, RejectsRepeatedUnit)
{
  EXPECT_EQ(parse_all({"1s1s", "1m2m", "1ms1ms"}),
            (std::vector<std::optional<Duration>>(3, std::nullopt)));
}

TEST(ParseDuration, RejectsMalformedText)
{
  const std::vector<std::string> malformed = {
    "",   " 5s", "5s ",  "5 s",  "-5s", "+5s", "-1",   "1e3",  "1.",  ".5",  "5x",  "s",
    "ms", "5sm", "1h30", "1,5s", "5S",  "5M",  "5mss", "0x10", "inf", "nan", "5s\n"};
  std::vector<std::string> accepted;
  for (const std::string& text : malformed) {
    if (parse_duration(text)) {
      accepted.push_back(text);
    }
  }
  EXPECT_EQ(accepted, std::vector<std::string>{});
}

TEST(ParseDuration, AcceptsUpToHundredDays)
{
  EXPECT_EQ(parse_all({"2400h", "8640000", "8640000.0004", "2399h59m59s999ms"}),
            (std::vector<std::optional<Duration>>{hours(2400), hours(2400), hours(2400),
                                                  hours(2400) - milliseconds(1)}));
}

TEST(ParseDuration, RejectsPastHundredDays)
{
  EXPECT_EQ(parse_all({"2400h1ms", "8640000.0005", "2401h", "99999999999999999999999999s",
                       "1" + std::string(400, '0') + "ms"}),
            (std::vector<std::optional<Duration>>(5, std::nullopt)));
}

TEST(DurationFromSeconds, ConvertsAndRounds)
{
  EXPECT_EQ(duration_from_seconds(1.5), milliseconds(1500));
  EXPECT_EQ(duration_from_seconds(0), milliseconds(0));
  EXPECT_EQ(duration_from_seconds(0.0004), milliseconds(0));
  EXPECT_EQ(duration_from_seconds(8'640'000), hours(2400));
}

TEST(DurationFromSeconds, RejectsNegativeNonFiniteAndHuge)
{
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::optional<Duration>> results = {
    duration_from_seconds(-1),   duration_from_seconds(-0.001), duration_from_seconds(inf),
    duration_from_seconds(-inf), duration_from_seconds(nan),    duration_from_seconds(8'640'000.5),
    duration_from_seconds(1e300)};
  EXPECT_EQ(results, (std::vector<std::optional<Duration>>(7, std::nullopt)));
}

TEST(SuggestDuration, ShortensUnitWords)
{
  EXPECT_EQ(
    suggest_all({"5 minutes", "10 sec", "1 hour", "500 msec", "3 seconds", "2 hrs", "1 min",
                 "4 millisecond", "1.5 hours", "7 secs"}),
    (std::vector<std::string>{"5m", "10s", "1h", "500ms", "3s", "2h", "1m", "4ms", "1.5h", "7s"}));
}

TEST(SuggestDuration, AcceptsUppercaseAndMissingSpaces)
{
  EXPECT_EQ(suggest_all({"5 MINUTES", "2Hours", "30S", "5M", "10Sec"}),
            (std::vector<std::string>{"5m", "2h", "30s", "5m", "10s"}));
}

TEST(SuggestDuration, JoinsSeveralComponents)
{
  EXPECT_EQ(suggest_all({"1 hour 30 minutes", "1h 30m", "2 min 5 s", "1s 500ms"}),
            (std::vector<std::string>{"1h30m", "1h30m", "2m5s", "1s500ms"}));
}

TEST(SuggestDuration, TrimsSpacesAroundBareNumber)
{
  EXPECT_EQ(suggest_all({" 30 ", "\t2.5"}), (std::vector<std::string>{"30", "2.5"}));
}

TEST(SuggestDuration, GivesNothingWhenNoDurationFits)
{
  EXPECT_EQ(
    suggest_all({"", "soon", "5 fortnights", "30 minutes 1 hour", "-5 minutes", "5 minutes later",
                 "1 hour 30", "minutes", "10 10", "3000 hours", "1,5 s"}),
    (std::vector<std::string>(11, "")));
}

TEST(IsNegativeDuration, MinusSignBeforeADurationOverZeroOrANearDuration)
{
  // "- 5s" is as near a duration as "-5 minutes" is.
  const std::vector<std::string> texts = {"-5s",  "-1h30m", "-2.5", "-5 minutes", "-0.001",
                                          "5s",   "-0",     "-0s",  "--5s",       "-soon",
                                          "- 5s", "-",      "",     "-2400h1ms"};
  std::vector<bool> negative;
  for (const std::string& text : texts) {
    negative.push_back(is_negative_duration(text));
  }
  EXPECT_EQ(negative, (std::vector<bool>{true, true, true, true, true, false, false, false, false,
                                         false, true, false, false, false}));
}

TEST(FormatDuration, UsesShortestForm)
{
  const std::vector<Duration> durations = {milliseconds(250),
                                           seconds(3),
                                           milliseconds(1500),
                                           minutes(2),
                                           seconds(90),
                                           minutes(90),
                                           hours(1),
                                           milliseconds(0),
                                           milliseconds(1),
                                           milliseconds(60'500),
                                           milliseconds(3'600'001),
                                           milliseconds(1250),
                                           hours(2400)};
  std::vector<std::string> formatted;
  for (const Duration d : durations) {
    formatted.push_back(format_duration(d));
  }
  EXPECT_EQ(formatted,
            (std::vector<std::string>{"250ms", "3s", "1.5s", "2m", "1m30s", "1h30m", "1h", "0s",
                                      "1ms", "1m0.5s", "1h0.001s", "1.25s", "2400h"}));
}

TEST(FormatDuration, MarksNegativeDurations)
{
  EXPECT_EQ(format_duration(milliseconds(-1500)), "-1.5s");
}

TEST(FormatDuration, ParsesBackToTheSameDuration)
{
  std::vector<Duration> mismatches;
  for (std::int64_t ms = 0; ms < 200'000; ms += 7) {
    const Duration d(ms * 37);
    if (parse_duration(format_duration(d)) != d) {
      mismatches.push_back(d);
    }
  }
  EXPECT_EQ(mismatches, std::vector<Duration>{});
}

} // namespace
} // namespace fanout
