#include "pactum/cedar/ext/datetime.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "expect_rejected.h"

namespace pactum::cedar::ext {
namespace {

using testing::ExpectRejected;

Datetime Dt(const std::string& text) {
  Result<Datetime> parsed = Datetime::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : *Datetime::Parse("1970-01-01");
}

Duration Dur(const std::string& text) {
  Result<Duration> parsed = Duration::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : Duration::FromMilliseconds(0);
}

std::int64_t Ms(const std::string& datetime) {
  return Dt(datetime).MillisecondsSinceEpoch();
}

__extension__ typedef __int128 Int128;

// The duration string Cedar's tests build for a millisecond count: "-{d}d{h}h{m}m{s}s{ms}ms".
std::string AllUnits(Int128 ms) {
  std::string out = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  const Int128 parts[] = {ms / 86400000, ms / 3600000 % 24, ms / 60000 % 60, ms / 1000 % 60,
                          ms % 1000};
  const char* units[] = {"d", "h", "m", "s", "ms"};
  for (int i = 0; i < 5; ++i) {
    out.append(std::to_string(static_cast<std::int64_t>(parts[i]))).append(units[i]);
  }
  return out;
}

TEST(Datetime, ParsesEachForm) {
  EXPECT_EQ(Ms("1970-01-01"), 0);
  EXPECT_EQ(Ms("2024-10-28"), 1730073600000);
  EXPECT_EQ(Ms("2024-10-28T01:22:33.456Z"), 1730078553456);
  EXPECT_EQ(Ms("2024-10-28T10:12:13.456-0700"), 1730135533456);
  EXPECT_EQ(Ms("2024-10-15T11:38:02Z"), Ms("2024-10-15") + (11 * 3600 + 38 * 60 + 2) * 1000);
  EXPECT_EQ(Ms("2024-10-15T11:38:02.101Z"), Ms("2024-10-15T11:38:02Z") + 101);
  EXPECT_EQ(Ms("2024-10-15T11:38:02.101+1134"), Ms("2024-10-15T00:04:02.101Z"));
  EXPECT_EQ(Ms("2024-10-15T11:38:02.101-1134"), Ms("2024-10-15T23:12:02.101Z"));
  EXPECT_EQ(Ms("2024-10-15T11:38:02+1134"), Ms("2024-10-15T00:04:02Z"));
  EXPECT_EQ(Ms("2024-10-15T11:38:02-1134"), Ms("2024-10-15T23:12:02Z"));
  EXPECT_EQ(Ms("2024-10-15T23:59:00+2359"), Ms("2024-10-15T00:00:00Z"));
  EXPECT_EQ(Ms("2024-10-15T00:00:00-2359"), Ms("2024-10-15T23:59:00Z"));
  EXPECT_EQ(Ms("2024-10-15T00:00:00-0000"), Ms("2024-10-15"));
}

TEST(Datetime, CalendarEdges) {
  EXPECT_EQ(Ms("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(Ms("1900-01-01"), -2208988800000);
  EXPECT_EQ(Ms("0000-01-01"), -62167219200000);  // year 0 exists (and is a leap year)
  EXPECT_EQ(Ms("0000-02-29") - Ms("0000-02-28"), 86400000);
  EXPECT_EQ(Ms("9999-12-31T23:59:59.999Z"), 253402300799999);
  EXPECT_EQ(Ms("2000-02-29") - Ms("2000-02-28"), 86400000);  // divisible by 400: leap
  EXPECT_EQ(Ms("2024-02-29") - Ms("2024-02-28"), 86400000);
  // An offset may carry the instant across midnight, month and year boundaries.
  EXPECT_EQ(Ms("2024-12-31T23:00:00-0100"), Ms("2025-01-01"));
  EXPECT_EQ(Ms("0000-01-01T00:00:00+0100"), Ms("0000-01-01") - 3600000);
}

TEST(Datetime, RejectsBadPatterns) {
  for (const char* text : {"", "a", "-", "-1", "11-12-13", "1111-1x-20", "0000-0a-01",
                           "10000-01-01", "10000-01-01T00:00:00Z", "2024-1-01", "2024/01/01",
                           "+2024-01-01", " 2024-01-01", "\xd9\xa1\xd9\xa1-01-01"}) {
    ExpectRejected<Datetime>(text, "YYYY-MM-DD");
  }
  for (const char* text :
       {"2024-10-15Z", "2024-01-01T", "2024-01-01Ta", "2024-01-01T01:", "2024-01-01T01:02",
        "2024-01-01T01:02:0b", "2024-01-01T01::02:03", "2024-01-01T01::02::03",
        "2024-01-01 00:00:00Z", "2024-01-01t00:00:00Z", "2024-01-01T0:00:00Z"}) {
    ExpectRejected<Datetime>(text, "Thh:mm:ss");
  }
  for (const char* text :
       {"2024-01-01T00:00:00", "2024-01-01T00:00:00T", "2024-01-01T00:00:00ZZ",
        "2024-10-15T11:38:02ZZ", "2024-01-01T00:00:00x001Z", "2024-01-01T00:00:00.001ZZ",
        "2024-01-01T00:00:00\xe2\x9e\x95"
        "0000",
        "2024-01-01T00:00:00.0001Z", "2024-01-01T00:00:00.01Z", "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.001+00000", "2024-01-01T00:00:00.001-00000",
        "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00", "2024-01-01T00:00:00z",
        "2024-01-01T00:00:00.001"}) {
    ExpectRejected<Datetime>(text, "after the time of day");
  }
}

TEST(Datetime, RejectsDatesThatDoNotExist) {
  for (const char* text :
       {"2024-00-01", "2024-01-00", "2024-02-30", "2025-02-29", "1900-02-29", "2024-20-01",
        "2024-01-32", "2024-01-99", "2024-04-31", "2024-02-30T00:00:00Z"}) {
    ExpectRejected<Datetime>(text, "is not a date");
  }
}

TEST(Datetime, RejectsTimesOfDayOutOfRange) {
  ExpectRejected<Datetime>("2024-01-01T31:02:03Z", "31:02:03 is not a time of day");
  ExpectRejected<Datetime>("2024-01-01T24:00:00Z", "not a time of day");
  ExpectRejected<Datetime>("2024-01-01T01:60:03Z", "not a time of day");
  // No leap seconds: Cedar cannot tell a real one from a made-up one.
  ExpectRejected<Datetime>("2016-12-31T23:59:60Z", "leap seconds");
  ExpectRejected<Datetime>("2016-12-31T23:59:61Z", "leap seconds");
}

TEST(Datetime, RejectsOffsetsOutOfRange) {
  ExpectRejected<Datetime>("2016-12-31T00:00:00+1160", "UTC offset +1160");
  ExpectRejected<Datetime>("2016-12-31T00:00:00+1199", "UTC offset");
  ExpectRejected<Datetime>("2016-12-31T00:00:00+2400", "UTC offset");
  ExpectRejected<Datetime>("2016-12-31T00:00:00.000-2400", "UTC offset -2400");
}

TEST(Datetime, OrderingAndEquality) {
  const Datetime epoch = Dt("1970-01-01");
  const Datetime today = Dt("2024-10-24");
  const Datetime yesterday = Dt("2024-10-23");
  const Datetime before_epoch = Dt("1900-01-01");
  EXPECT_LE(epoch, epoch);
  EXPECT_NE(today, yesterday);
  EXPECT_LT(epoch, today);
  EXPECT_GT(today, yesterday);
  EXPECT_LE(before_epoch, epoch);
  EXPECT_GT(Dt("2024-10-28T10:12:13.456-0700"), Dt("2024-10-28T10:12:13.456Z"));
  EXPECT_EQ(Dt("2024-10-28T10:12:13.456-0700"), Dt("2024-10-28T17:12:13.456Z"));
  EXPECT_LT(Dt("2024-10-28T10:12:13.456-0700"), Dt("2024-10-28T17:12:13.456-0800"));
  EXPECT_EQ(Dt("2024-10-28T10:12:13.456-0700").Hash(), Dt("2024-10-28T17:12:13.456Z").Hash());
}

TEST(Datetime, ToStringIsUtcAndParsesBack) {
  EXPECT_EQ(Dt("2024-10-28").ToString(), "2024-10-28T00:00:00Z");
  EXPECT_EQ(Dt("2024-10-28T10:12:13.456-0700").ToString(), "2024-10-28T17:12:13.456Z");
  EXPECT_EQ(Dt("1969-12-31T23:59:59.999Z").ToString(), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(Dt("0000-01-01T00:00:00.007Z").ToString(), "0000-01-01T00:00:00.007Z");
  for (const char* text : {"1970-01-01", "1900-03-01T12:00:00.001Z", "9999-12-31T23:59:59.999Z",
                           "0000-02-29T01:02:03+0405"}) {
    const Datetime value = Dt(text);
    EXPECT_EQ(Dt(value.ToString()), value) << text;
  }
  // Instants outside 0000..9999 print with an expanded year, which Parse does not accept.
  EXPECT_EQ(Dt("9999-12-31").Offset(Dur("1d"))->ToString(), "+10000-01-01T00:00:00Z");
  EXPECT_EQ(Dt("0000-01-01").Offset(Dur("-1d"))->ToString(), "-0001-12-31T00:00:00Z");
  const Datetime max = *Dt("1970-01-01").Offset(Duration::FromMilliseconds(INT64_MAX));
  const Datetime min = *Dt("1970-01-01").Offset(Duration::FromMilliseconds(INT64_MIN));
  EXPECT_EQ(max.ToString(), "+292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(min.ToString(), "-292275055-05-16T16:47:04.192Z");
}

TEST(Datetime, Offset) {
  const Datetime epoch = Dt("1970-01-01");
  EXPECT_EQ(*epoch.Offset(Dur("1d")), Dt("1970-01-02"));
  EXPECT_EQ(*epoch.Offset(Dur("-1d")), Dt("1969-12-31"));
  // An offset undoes the UTC offset written in the literal.
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456-0700").Offset(Dur("-7h")), Dt("2024-10-28T10:12:13.456Z"));
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456+0700").Offset(Dur("7h")), Dt("2024-10-28T10:12:13.456Z"));

  const Datetime max = *epoch.Offset(Dur(AllUnits(INT64_MAX)));
  const Datetime min = *epoch.Offset(Dur(AllUnits(INT64_MIN)));
  EXPECT_EQ(max.MillisecondsSinceEpoch(), INT64_MAX);
  EXPECT_EQ(min.MillisecondsSinceEpoch(), INT64_MIN);
  EXPECT_EQ(*max.Offset(Dur("-1ms")), *epoch.Offset(Dur(AllUnits(INT64_MAX - 1))));
  EXPECT_EQ(*min.Offset(Dur("1ms")), *epoch.Offset(Dur(AllUnits(INT64_MIN + 1))));

  Result<Datetime> past_max = max.Offset(Dur("1ms"));
  ASSERT_FALSE(past_max.ok());
  EXPECT_EQ(past_max.status().code(), Code::kInvalidArgument);
  EXPECT_NE(past_max.status().message().find("+292278994-08-17T07:12:55.807Z"), std::string::npos)
      << past_max.status().message();
  EXPECT_NE(past_max.status().message().find("1ms"), std::string::npos);
  EXPECT_FALSE(min.Offset(Dur("-1ms")).ok());
  EXPECT_FALSE(max.Offset(Duration::FromMilliseconds(INT64_MAX)).ok());
  EXPECT_TRUE(max.Offset(Duration::FromMilliseconds(INT64_MIN)).ok());
}

TEST(Datetime, DurationSince) {
  const Datetime epoch = Dt("1970-01-01");
  const Datetime today = Dt("2024-10-24");
  const Datetime yesterday = Dt("2024-10-23");
  EXPECT_EQ(*today.DurationSince(epoch), Dur("20020d"));
  EXPECT_EQ(*yesterday.DurationSince(today), Dur("-1d"));
  EXPECT_EQ(*today.DurationSince(yesterday), Dur("1d"));
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456+0700").DurationSince(Dt("2024-10-28T10:12:13.456Z")),
            Dur("-7h"));
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456-0700").DurationSince(Dt("2024-10-28T10:12:13.456Z")),
            Dur("7h"));

  const Datetime min = *epoch.Offset(Dur(AllUnits(INT64_MIN)));
  const Datetime max = *epoch.Offset(Dur(AllUnits(INT64_MAX)));
  Result<Duration> too_long = today.DurationSince(min);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), Code::kInvalidArgument);
  EXPECT_NE(too_long.status().message().find("2024-10-24T00:00:00Z"), std::string::npos)
      << too_long.status().message();
  EXPECT_FALSE(min.DurationSince(today).ok());
  EXPECT_FALSE(max.DurationSince(min).ok());
  EXPECT_EQ(min.DurationSince(epoch)->ToMilliseconds(), INT64_MIN);
  EXPECT_EQ(epoch.DurationSince(max)->ToMilliseconds(), -INT64_MAX);
  EXPECT_EQ(Dt("1969-12-31T23:59:59.999Z").DurationSince(max)->ToMilliseconds(), INT64_MIN);
  EXPECT_FALSE(Dt("1969-12-31T23:59:59.998Z").DurationSince(max).ok());
}

TEST(Datetime, ToDateRoundsTowardThePast) {
  const Datetime epoch = Dt("1970-01-01");
  const Duration max_into_day = Dur("23h59m59s999ms");
  const Duration min_into_day = Dur("-23h59m59s999ms");
  for (const char* day : {"2024-10-24", "2024-10-23", "1970-01-01", "1900-01-01", "0000-03-01"}) {
    const Datetime d = Dt(day);
    EXPECT_EQ(*d.ToDate(), d) << day;
    EXPECT_EQ(*d.Offset(max_into_day)->ToDate(), d) << day;
    EXPECT_EQ(*d.Offset(min_into_day)->ToDate(), *d.Offset(Dur("-1d"))) << day;
  }
  EXPECT_EQ(*Dt("1969-12-31T23:59:59.999Z").ToDate(), Dt("1969-12-31"));
  EXPECT_EQ(*Dt("1969-12-31T00:00:00.001Z").ToDate(), Dt("1969-12-31"));
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456+0700").ToDate(), Dt("2024-10-28"));
  EXPECT_EQ(*Dt("2024-10-28T10:12:13.456-0700").ToDate(), Dt("2024-10-28"));
  EXPECT_EQ(*Dt("2024-10-28T20:12:13.456-0700").ToDate(), Dt("2024-10-29"));

  // The day containing the most negative instant starts before the int64 range.
  const Datetime min = *epoch.Offset(Duration::FromMilliseconds(INT64_MIN));
  Result<Datetime> no_date = min.ToDate();
  ASSERT_FALSE(no_date.ok());
  EXPECT_EQ(no_date.status().code(), Code::kInvalidArgument);
  // The largest instant's midnight is representable.
  const Datetime max = *epoch.Offset(Duration::FromMilliseconds(INT64_MAX));
  EXPECT_EQ(max.ToDate()->ToString(), "+292278994-08-17T00:00:00Z");
}

TEST(Datetime, ToTimeIsWithinTheDay) {
  const Duration max_into_day = Dur("23h59m59s999ms");
  const Duration min_into_day = Dur("-23h59m59s999ms");
  for (const char* day : {"2024-10-24", "2024-10-23", "1970-01-01", "1900-01-01"}) {
    const Datetime d = Dt(day);
    EXPECT_EQ(d.ToTime(), Dur("0ms")) << day;
    EXPECT_EQ(d.Offset(max_into_day)->ToTime(), max_into_day) << day;
    EXPECT_EQ(d.Offset(min_into_day)->ToTime(), Dur("1ms")) << day;
  }
  EXPECT_EQ(Dt("2024-10-28T10:12:13.456+0700").ToTime(), Dur("3h12m13s456ms"));
  EXPECT_EQ(Dt("2024-10-28T10:12:13.456-0700").ToTime(), Dur("17h12m13s456ms"));
  const Datetime epoch = Dt("1970-01-01");
  EXPECT_EQ(epoch.Offset(Duration::FromMilliseconds(INT64_MIN))->ToTime(), Dur("16h47m4s192ms"));
  EXPECT_EQ(epoch.Offset(Duration::FromMilliseconds(INT64_MAX))->ToTime(), Dur("7h12m55s807ms"));
}

TEST(Duration, ParsesUnitsInOrder) {
  EXPECT_EQ(Dur("1h").ToMilliseconds(), 3600000);
  EXPECT_EQ(Dur("-10h").ToMilliseconds(), -36000000);
  EXPECT_EQ(Dur("5d3ms").ToMilliseconds(), 5 * 86400000 + 3);
  EXPECT_EQ(Dur("-3h5m").ToMilliseconds(), -(3 * 3600000 + 5 * 60000));
  EXPECT_EQ(Dur("1d2h3m4s50ms").ToMilliseconds(), 93784050);
  EXPECT_EQ(Dur("-1d2h3m4s50ms").ToMilliseconds(), -93784050);
  EXPECT_EQ(Dur("1h30m").ToMilliseconds(), 5400000);
  EXPECT_EQ(Dur("1m").ToMilliseconds(), 60000);  // m and ms are told apart
  EXPECT_EQ(Dur("1ms").ToMilliseconds(), 1);
  EXPECT_EQ(Dur("1m1s").ToMilliseconds(), 61000);
  EXPECT_EQ(Dur("0d").ToMilliseconds(), 0);
  EXPECT_EQ(Dur("-0ms"), Dur("0s"));
  EXPECT_EQ(Dur("007s").ToMilliseconds(), 7000);  // leading zeros are fine
  EXPECT_EQ(Dur("90m"), Dur("1h30m"));            // quantities are not capped per unit
  EXPECT_EQ(Dur("-3d"), Dur("-72h"));
}

TEST(Duration, RejectsBadPatterns) {
  for (const char* text : {"", "-"})
    ExpectRejected<Duration>(text, "quantity-unit pairs");
  for (const char* text : {"a", "-d", "-h", "-h2d", "-ms", "h", "1h-1m", "--1h", "+1h", " 1h"}) {
    ExpectRejected<Duration>(text, "expected a number");
  }
  for (const char* text : {"-1", "1", "11dd", "00000mm", "-1hh", "1.5h", "1H", "1w", "1y", "1d ",
                           "\xe2\x9e\x96"
                           "1ms",
                           "1 d"}) {
    Result<Duration> parsed = Duration::Parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
  }
  ExpectRejected<Duration>("1x", "unit (d, h, m, s or ms) at position 1");
}

TEST(Duration, RejectsRepeatedAndMisorderedUnits) {
  for (const char* text : {"1ms1s", "1ms1m", "1ms1h", "0ms1d", "1s1m", "1s1h", "0s0d", "0m0h",
                           "0m0d", "1h1d", "1ms1m1d", "1h1h", "1d1d", "1ms1ms", "1s2s"}) {
    ExpectRejected<Duration>(text, "repeated or out of order");
  }
}

TEST(Duration, Overflow) {
  EXPECT_EQ(Dur(AllUnits(INT64_MAX)).ToMilliseconds(), INT64_MAX);
  EXPECT_EQ(Dur(AllUnits(INT64_MIN)).ToMilliseconds(), INT64_MIN);
  EXPECT_EQ(Dur("9223372036854775807ms").ToMilliseconds(), INT64_MAX);
  EXPECT_EQ(Dur("-9223372036854775808ms").ToMilliseconds(), INT64_MIN);
  for (const std::string& text :
       {AllUnits(static_cast<Int128>(INT64_MAX) + 1), AllUnits(static_cast<Int128>(INT64_MIN) - 1),
        std::string("9223372036854775808ms"), std::string("-9223372036854775809ms"),
        std::string("106751991167301d"), std::string("99999999999999999999999999ms"),
        std::string("9223372036854776s")}) {
    ExpectRejected<Duration>(text, "overflows");
  }
}

TEST(Duration, ConversionsTruncateTowardZero) {
  for (const char* text : {"10d23h59m58s999ms", "-10d23h59m58s999ms"}) {
    const Duration d = Dur(text);
    const std::int64_t sign = text[0] == '-' ? -1 : 1;
    EXPECT_EQ(d.ToDays(), sign * 10);
    EXPECT_EQ(d.ToHours(), sign * (10 * 24 + 23));
    EXPECT_EQ(d.ToMinutes(), sign * ((10 * 24 + 23) * 60 + 59));
    EXPECT_EQ(d.ToSeconds(), sign * (((10 * 24 + 23) * 60 + 59) * 60 + 58));
    EXPECT_EQ(d.ToMilliseconds(), sign * ((((10 * 24 + 23) * 60 + 59) * 60 + 58) * 1000 + 999));
  }
  EXPECT_EQ(Dur("1d2h3m4s50ms").ToSeconds(), 93784);
  EXPECT_EQ(Dur("-1d2h3m4s50ms").ToMinutes(), -1563);
  EXPECT_EQ(Dur("-1d2h3m4s50ms").ToHours(), -26);
  EXPECT_EQ(Dur("-1d2h3m4s50ms").ToDays(), -1);
  EXPECT_EQ(Dur("-999ms").ToSeconds(), 0);
  EXPECT_EQ(Dur("-23h59m").ToDays(), 0);
  EXPECT_EQ(Duration::FromMilliseconds(INT64_MIN).ToDays(), INT64_MIN / 86400000);
}

TEST(Duration, OrderingEqualityAndToString) {
  EXPECT_LT(Dur("-2h"), Dur("1h"));
  EXPECT_LE(Dur("-2h"), Dur("1h"));
  EXPECT_NE(Dur("-2h"), Dur("1h"));
  EXPECT_GT(Dur("2h"), Dur("1h"));
  EXPECT_GE(Dur("2h"), Dur("1h"));
  EXPECT_EQ(Dur("1d").Hash(), Dur("24h").Hash());
  EXPECT_EQ(Dur("1h30m").ToString(), "5400000ms");
  EXPECT_EQ(Dur("-1ms").ToString(), "-1ms");
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{-93784050}, INT64_MAX, INT64_MIN}) {
    const Duration d = Duration::FromMilliseconds(ms);
    EXPECT_EQ(Dur(d.ToString()), d) << ms;
  }
}

}  // namespace
}  // namespace pactum::cedar::ext
