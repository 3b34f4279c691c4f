// Properties over many inputs rather than single cases: agreement of the calendar arithmetic
// with the C library, and that arbitrary edits of valid literals never crash and either fail
// with a message safe to log and serialise, or give a value whose ToString parses back to it.
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/cedar/ext/datetime.h"
#include "pactum/cedar/ext/decimal.h"
#include "pactum/cedar/ext/ipaddr.h"

namespace pactum::cedar::ext {
namespace {

// glibc's gmtime_r (proleptic Gregorian, 64-bit time_t) names the day; our parser must map
// that name back to the same instant, and print it the same way.
TEST(Datetime, AgreesWithTheCLibraryFromYear0To9999) {
  constexpr std::int64_t kFirstDay = -719528;  // 0000-01-01
  constexpr std::int64_t kLastDay = 2932896;   // 9999-12-31
  int checked = 0;
  for (std::int64_t day = kFirstDay; day <= kLastDay; day += 997) {
    const std::int64_t seconds = day * 86400 + (day % 86400 + 86400) % 86400;
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&t, &tm), nullptr);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    Result<Datetime> parsed = Datetime::Parse(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->MillisecondsSinceEpoch(), seconds * 1000) << text;
    EXPECT_EQ(parsed->ToString(), text);
    ++checked;
  }
  EXPECT_GT(checked, 3600);
}

template <typename T>
void ExpectEditsAreSafe(const std::vector<std::string>& seeds) {
  static const std::string kReplacements = {'0', '1', '9', '-', '+', '.', ':', '/', 'Z',  'T',
                                            'a', 'f', 'g', 'd', 'h', 'm', 's', ' ', '\0', '\xff'};
  std::vector<std::string> inputs;
  for (const std::string& seed : seeds) {
    for (std::size_t i = 0; i <= seed.size(); ++i) {
      if (i < seed.size()) {
        inputs.push_back(seed.substr(0, i) + seed.substr(i + 1));  // deletion
        for (char c : kReplacements) {
          std::string replaced = seed;
          replaced[i] = c;
          inputs.push_back(replaced);
        }
      }
      for (char c : kReplacements)
        inputs.push_back(seed.substr(0, i) + c + seed.substr(i));
    }
  }
  int accepted = 0;
  for (const std::string& input : inputs) {
    Result<T> parsed = T::Parse(input);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << input;
      // Strict serialisation throws on invalid UTF-8: the quoted literal must not carry any.
      EXPECT_NO_THROW(Json(parsed.status().message()).dump()) << input;
      continue;
    }
    ++accepted;
    Result<T> again = T::Parse(parsed->ToString());
    ASSERT_TRUE(again.ok()) << input << " -> " << parsed->ToString();
    EXPECT_EQ(*again, *parsed) << input;
    EXPECT_EQ(again->Hash(), parsed->Hash()) << input;
  }
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, static_cast<int>(inputs.size()));
}

TEST(Decimal, EditedLiteralsFailCleanlyOrRoundTrip) {
  ExpectEditsAreSafe<Decimal>({"-922337203685477.5808", "0.1234", "12.5"});
}

TEST(IpAddr, EditedLiteralsFailCleanlyOrRoundTrip) {
  ExpectEditsAreSafe<IpAddr>({"192.168.10.1/24", "1:2:3:4:5:6:7:8/128", "fe80::1:2/64", "::"});
}

TEST(Datetime, EditedLiteralsFailCleanlyOrRoundTrip) {
  ExpectEditsAreSafe<Datetime>({"2024-02-29T23:59:59.999-2359", "0000-01-01", "9999-12-31Z"});
}

TEST(Duration, EditedLiteralsFailCleanlyOrRoundTrip) {
  ExpectEditsAreSafe<Duration>(
      {"-106751991167d7h12m55s808ms", "1d2h3m4s5ms", "9223372036854775807ms"});
}

}  // namespace
}  // namespace pactum::cedar::ext
