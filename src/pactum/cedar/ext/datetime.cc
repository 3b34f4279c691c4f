#include "pactum/cedar/ext/datetime.h"

#include <functional>

#include <fmt/format.h>

#include "pactum/cedar/ext/literal.h"

namespace pactum::cedar::ext {
namespace {

constexpr std::int64_t kMillisPerSecond = 1000;
constexpr std::int64_t kMillisPerMinute = 60 * kMillisPerSecond;
constexpr std::int64_t kMillisPerHour = 60 * kMillisPerMinute;
constexpr std::int64_t kMillisPerDay = 24 * kMillisPerHour;

// The unsigned decimal number of exactly `count` ASCII digits at text[at], or -1.
int FixedDigits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!IsAsciiDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsLeapYear(std::int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int DaysInMonth(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given proleptic Gregorian date, and back (H. Hinnant's
// algorithms, http://howardhinnant.github.io/date_algorithms.html): eras of 400 years.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

CivilDate CivilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// The remainder of ms / day in [0, day), for instants before the epoch too.
std::int64_t MillisIntoDay(std::int64_t ms) {
  const std::int64_t remainder = ms % kMillisPerDay;
  return remainder < 0 ? remainder + kMillisPerDay : remainder;
}

}  // namespace

Result<Duration> Duration::Parse(std::string_view text) {
  static constexpr struct {
    std::string_view name;
    std::uint64_t millis;
  } kUnits[] = {{"d", kMillisPerDay},
                {"h", kMillisPerHour},
                {"m", kMillisPerMinute},
                {"s", kMillisPerSecond},
                {"ms", 1}};
  constexpr std::string_view kType = "duration";
  const bool negative = !text.empty() && text[0] == '-';
  std::size_t pos = negative ? 1 : 0;
  if (pos == text.size()) {
    return InvalidLiteral(kType, text, "expected quantity-unit pairs like 1h30m");
  }
  const std::uint64_t limit = MaxMagnitude(negative);
  std::uint64_t total = 0;
  std::size_t next_unit = 0;  // index into kUnits of the smallest unit still allowed
  while (pos < text.size()) {
    const std::size_t number_at = pos;
    std::uint64_t quantity = 0;
    bool overflow = false;
    while (pos < text.size() && IsAsciiDigit(text[pos])) {
      const auto digit = static_cast<std::uint64_t>(text[pos++] - '0');
      overflow = overflow || quantity > (limit - digit) / 10;
      if (!overflow) quantity = quantity * 10 + digit;
    }
    if (pos == number_at) {
      return InvalidLiteral(kType, text, fmt::format("expected a number at position {}", pos));
    }
    std::size_t unit = std::string_view::npos;
    if (text.substr(pos, 2) == "ms") {
      unit = 4;
    } else if (pos < text.size()) {
      unit = std::string_view("dhms").find(text[pos]);  // the order of kUnits
    }
    if (unit == std::string_view::npos) {
      return InvalidLiteral(kType, text,
                            fmt::format("expected a unit (d, h, m, s or ms) at position {}", pos));
    }
    if (unit < next_unit) {
      return InvalidLiteral(
          kType, text,
          fmt::format("unit '{}' at position {} is repeated or out of order (units go "
                      "d, h, m, s, ms, each at most once)",
                      kUnits[unit].name, pos));
    }
    next_unit = unit + 1;
    pos += kUnits[unit].name.size();
    const std::uint64_t millis = kUnits[unit].millis;
    if (overflow || quantity > limit / millis || quantity * millis > limit - total) {
      return InvalidLiteral(kType, text, "overflows the 64-bit millisecond range");
    }
    total += quantity * millis;
  }
  return Duration(WithSign(negative, total));
}

std::string Duration::ToString() const {
  return fmt::format("{}ms", ms_);
}

std::size_t Duration::Hash() const {
  return std::hash<std::int64_t>{}(ms_);
}

Result<Datetime> Datetime::Parse(std::string_view text) {
  constexpr std::string_view kType = "datetime";
  const int year = FixedDigits(text, 0, 4);
  const int month = FixedDigits(text, 5, 2);
  const int day = FixedDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') {
    return InvalidLiteral(kType, text, "expected a date YYYY-MM-DD at the start");
  }
  // Checked only once the whole literal has the right shape, as Cedar does.
  const auto midnight = [&]() -> Result<std::int64_t> {
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
      return InvalidLiteral(kType, text, fmt::format("{} is not a date", text.substr(0, 10)));
    }
    return DaysFromCivil(year, month, day) * kMillisPerDay;
  };
  if (text.size() == 10) {
    PACTUM_ASSIGN_OR_RETURN(const std::int64_t date, midnight());
    return Datetime(date);
  }

  const int hour = FixedDigits(text, 11, 2);
  const int minute = FixedDigits(text, 14, 2);
  const int second = FixedDigits(text, 17, 2);
  if (text[10] != 'T' || hour < 0 || minute < 0 || second < 0 || text[13] != ':' ||
      text[16] != ':') {
    return InvalidLiteral(kType, text, "expected Thh:mm:ss after the date");
  }

  const auto bad_suffix = [&] {
    return InvalidLiteral(kType, text,
                          "expected Z, .SSSZ, (+|-)hhmm or .SSS(+|-)hhmm after the time of day");
  };
  std::string_view rest = text.substr(19);
  int millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    millis = FixedDigits(rest, 1, 3);
    if (millis < 0) return bad_suffix();
    rest = rest.substr(4);
  }
  int offset_sign = 0;
  int offset_hours = 0;
  int offset_minutes = 0;
  if (rest != "Z") {
    if (rest.size() != 5 || (rest[0] != '+' && rest[0] != '-')) return bad_suffix();
    offset_sign = rest[0] == '+' ? 1 : -1;
    offset_hours = FixedDigits(rest, 1, 2);
    offset_minutes = FixedDigits(rest, 3, 2);
    if (offset_hours < 0 || offset_minutes < 0) return bad_suffix();
  }

  PACTUM_ASSIGN_OR_RETURN(const std::int64_t date, midnight());
  if (hour > 23 || minute > 59 || second > 59) {
    return InvalidLiteral(
        kType, text,
        fmt::format("{} is not a time of day (leap seconds are not accepted)", text.substr(11, 8)));
  }
  if (offset_hours > 23 || offset_minutes > 59) {
    return InvalidLiteral(
        kType, text,
        fmt::format("UTC offset {} must be under 24 hours with minutes under 60", rest));
  }
  // Local time minus its offset is UTC; the ranges above keep this far from overflow.
  return Datetime(
      date + hour * kMillisPerHour + minute * kMillisPerMinute + second * kMillisPerSecond +
      millis - offset_sign * (offset_hours * kMillisPerHour + offset_minutes * kMillisPerMinute));
}

std::string Datetime::ToString() const {
  const std::int64_t into_day = MillisIntoDay(ms_);
  // Floor division; ms_ - into_day could overflow for the earliest instants.
  const CivilDate date = CivilFromDays(ms_ / kMillisPerDay - (ms_ % kMillisPerDay < 0 ? 1 : 0));
  std::string year;
  if (date.year >= 0 && date.year <= 9999) {
    year = fmt::format("{:04}", date.year);
  } else {
    year =
        fmt::format("{}{:04}", date.year < 0 ? "-" : "+", date.year < 0 ? -date.year : date.year);
  }
  const std::int64_t millis = into_day % kMillisPerSecond;
  return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}{}Z", year, date.month, date.day,
                     into_day / kMillisPerHour, into_day / kMillisPerMinute % 60,
                     into_day / kMillisPerSecond % 60,
                     millis == 0 ? std::string() : fmt::format(".{:03}", millis));
}

Result<Datetime> Datetime::Offset(Duration duration) const {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(ms_, duration.ToMilliseconds(), &sum)) {
    return InvalidArgument(
        fmt::format("datetime {} offset by duration {} leaves the 64-bit "
                    "millisecond range",
                    ToString(), duration.ToString()));
  }
  return Datetime(sum);
}

Result<Duration> Datetime::DurationSince(Datetime other) const {
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(ms_, other.ms_, &difference)) {
    return InvalidArgument(
        fmt::format("the duration from datetime {} to datetime {} leaves the "
                    "64-bit millisecond range",
                    other.ToString(), ToString()));
  }
  return Duration::FromMilliseconds(difference);
}

Result<Datetime> Datetime::ToDate() const {
  std::int64_t midnight = 0;
  if (__builtin_sub_overflow(ms_, MillisIntoDay(ms_), &midnight)) {
    return InvalidArgument(
        fmt::format("the date of datetime {} (its preceding midnight) leaves "
                    "the 64-bit millisecond range",
                    ToString()));
  }
  return Datetime(midnight);
}

Duration Datetime::ToTime() const {
  return Duration::FromMilliseconds(MillisIntoDay(ms_));
}

std::size_t Datetime::Hash() const {
  return std::hash<std::int64_t>{}(ms_);
}

}  // namespace pactum::cedar::ext
