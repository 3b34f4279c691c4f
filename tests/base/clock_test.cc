#include "pactum/base/clock.h"

#include <gtest/gtest.h>

namespace pactum {
namespace {

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(FromUnixMillis(1'000));
  EXPECT_EQ(UnixMillis(clock.Now()), 1'000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(UnixMillis(clock.Now()), 3'000);
}

TEST(Clock, Rfc3339RoundTrip) {
  TimePoint t = FromUnixMillis(1'795'291'262'345);
  EXPECT_EQ(FormatRfc3339(t), "2026-11-21T20:01:02.345Z");
  EXPECT_EQ(UnixMillis(*ParseRfc3339("2026-11-21T20:01:02.345Z")), 1'795'291'262'345);
  EXPECT_EQ(UnixMillis(*ParseRfc3339("2026-11-21T21:01:02.345+01:00")), 1'795'291'262'345);
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
}

TEST(Clock, Rfc3339RejectsGarbage) {
  EXPECT_FALSE(ParseRfc3339("2026-02-30T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-21 20:01").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-21T20:01:02").ok());  // no zone
  EXPECT_FALSE(ParseRfc3339("2026-11-21T20:01:02Zjunk").ok());
}

// Found by the evidence fuzzer: a year past 2262 overflowed the nanosecond count (UB).
TEST(Clock, Rfc3339RejectsYearsATimePointCannotHold) {
  auto far = ParseRfc3339("6608-11-14T11:58:00Z");
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.status().message().find("year out of range"), std::string::npos);
  EXPECT_FALSE(ParseRfc3339("1600-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseRfc3339("2261-12-31T23:59:59Z").ok());
  EXPECT_TRUE(ParseRfc3339("1678-01-01T00:00:00Z").ok());
}

}  // namespace
}  // namespace pactum
