#include "pactum/cedar/ext/decimal.h"

#include <string>

#include <gtest/gtest.h>

#include "expect_rejected.h"

namespace pactum::cedar::ext {
namespace {

using testing::ExpectRejected;

Decimal D(const std::string& text) {
  Result<Decimal> parsed = Decimal::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : *Decimal::Parse("0.0");
}

// Cedar's decimal_creation cases, with the value each one denotes.
TEST(Decimal, ParsesValidLiterals) {
  EXPECT_EQ(D("1.0").ScaledValue(), 10000);
  EXPECT_EQ(D("-1.0").ScaledValue(), -10000);
  EXPECT_EQ(D("123.456").ScaledValue(), 1234560);
  EXPECT_EQ(D("0.1234").ScaledValue(), 1234);
  EXPECT_EQ(D("55.1").ScaledValue(), 551000);
  EXPECT_EQ(D("00.000").ScaledValue(), 0);
  EXPECT_EQ(D("000000000000000000000001.5").ScaledValue(), 15000);  // leading zeros are fine
  EXPECT_EQ(D("922337203685477.5807").ScaledValue(), INT64_MAX);
  EXPECT_EQ(D("-922337203685477.5808").ScaledValue(), INT64_MIN);
}

// cedar#1964: the sign covers the fraction even when the integer part is zero.
TEST(Decimal, SmallNegativesKeepTheirSign) {
  EXPECT_EQ(D("-0.0123").ScaledValue(), -123);
  EXPECT_EQ(D("-0.5").ScaledValue(), -5000);
  EXPECT_LT(D("-0.5"), D("0.0"));
  EXPECT_EQ(D("-0.0"), D("0.0"));
}

TEST(Decimal, RejectsMalformedLiterals) {
  for (const char* text : {"", "1234", "1.0.", "1.", ".1", "1.a", "-.", "-.5", "-", "+1.0", " 1.0",
                           "1.0 ", "1,0", "1e3.0", "0x1.0", "1.-0", "--1.0", "1.0\n"}) {
    ExpectRejected<Decimal>(text, "invalid decimal");
  }
  ExpectRejected<Decimal>("1.2a", "position 3");
  // The literal is quoted as a JSON string: quotes, control bytes and bad UTF-8 are escaped.
  EXPECT_EQ(Decimal::Parse("1.\"\n").status().message(),
            "invalid decimal \"1.\\\"\\n\": unexpected character at position 2");
  EXPECT_NE(Decimal::Parse("\xff").status().message().find("\"\xef\xbf\xbd\""), std::string::npos);
  // Digits other than ASCII ones (here Arabic-Indic one) are not digits.
  ExpectRejected<Decimal>("\xd9\xa1.0", "invalid decimal");
}

TEST(Decimal, RejectsMoreThanFourFractionalDigits) {
  ExpectRejected<Decimal>("0.12345", "at most 4");
  ExpectRejected<Decimal>("0.00000", "at most 4");  // even when the extra digits are zero
}

TEST(Decimal, RejectsOverflow) {
  for (const char* text : {"1000000000000000.0", "922337203685477.5808", "-922337203685477.5809",
                           "-922337203685478.0", "99999999999999999999999.0"}) {
    ExpectRejected<Decimal>(text, "overflows");
  }
}

// decimal_equality: numeric, not textual.
TEST(Decimal, Equality) {
  EXPECT_EQ(D("123.0"), D("123.0000"));
  EXPECT_EQ(D("123.0000"), D("0123.0"));
  EXPECT_NE(D("123.0"), D("123.456"));
  EXPECT_NE(D("123.0"), D("1.23"));
  EXPECT_EQ(D("0.0").Hash(), D("-0.0").Hash());
  EXPECT_EQ(D("1.5").Hash(), D("01.50").Hash());
}

// decimal_ops: lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual.
TEST(Decimal, Ordering) {
  const Decimal a = D("1.23"), b = D("1.24"), c = D("123.45"), d = D("-1.23"), e = D("-1.24");
  EXPECT_TRUE(a < b);
  EXPECT_FALSE(a < a);
  EXPECT_FALSE(c < a);
  EXPECT_TRUE(d < a);
  EXPECT_FALSE(d < e);
  EXPECT_TRUE(a <= a);
  EXPECT_FALSE(c <= a);
  EXPECT_TRUE(c > a);
  EXPECT_TRUE(d > e);
  EXPECT_FALSE(d > a);
  EXPECT_TRUE(a >= a);
  EXPECT_FALSE(a >= b);
  EXPECT_TRUE(d >= e);
}

TEST(Decimal, ToStringPrintsFourDigitsAndParsesBack) {
  EXPECT_EQ(D("123.0").ToString(), "123.0000");
  EXPECT_EQ(D("1.05").ToString(), "1.0500");
  EXPECT_EQ(D("-0.0123").ToString(), "-0.0123");
  EXPECT_EQ(D("-0.0").ToString(), "0.0000");
  EXPECT_EQ(D("-922337203685477.5808").ToString(), "-922337203685477.5808");
  for (const char* text :
       {"1.2300", "-123.4560", "0.0001", "922337203685477.5807", "-922337203685477.5808", "-7.0"}) {
    const Decimal value = D(text);
    EXPECT_EQ(D(value.ToString()), value) << text;
  }
}

}  // namespace
}  // namespace pactum::cedar::ext
