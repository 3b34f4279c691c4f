#include "pactum/base/clock.h"

#include <charconv>
#include <cstdio>

namespace pactum {
namespace {

class RealClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

bool ReadInt(std::string_view s, std::size_t pos, std::size_t len, int* out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + pos, s.data() + pos + len, *out);
  return true;
}

}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

std::int64_t UnixMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixMillis(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::string FormatRfc3339(TimePoint t) {
  using namespace std::chrono;
  auto ms = UnixMillis(t);
  auto day_ms = ms % 86'400'000;
  if (day_ms < 0) day_ms += 86'400'000;
  sys_days days{floor<std::chrono::days>(milliseconds(ms))};
  year_month_day ymd{days};
  const int year = int(ymd.year());
  const long long hour = day_ms / 3'600'000, minute = day_ms / 60'000 % 60,
                  second = day_ms / 1000 % 60, milli = day_ms % 1000;
  if (year < 0 || year > 9999) {  // beyond four digits: printf's sign and width rules
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", year,
                  unsigned(ymd.month()), unsigned(ymd.day()), hour, minute, second, milli);
    return buf;
  }
  // Every log leaf carries a time: digits by hand rather than through printf's format parser.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t at, long long value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, unsigned(ymd.month()), 2);
  put(8, unsigned(ymd.day()), 2);
  put(11, hour, 2);
  put(14, minute, 2);
  put(17, second, 2);
  put(20, milli, 3);
  return out;
}

Result<TimePoint> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  auto bad = [&](const char* why) {
    return InvalidArgument("bad RFC 3339 time \"" + std::string(s) + "\": " + why);
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadInt(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !ReadInt(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadInt(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadInt(s, 11, 2, &h) || s[13] != ':' || !ReadInt(s, 14, 2, &mi) || s[16] != ':' ||
      !ReadInt(s, 17, 2, &sec))
    return bad("expected YYYY-MM-DDTHH:MM:SS");
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return bad("date or time out of range");
  // A TimePoint counts nanoseconds in 64 bits: about 1677-09-21 to 2262-04-11.
  if (y < 1678 || y > 2261) return bad("year out of range (1678 to 2261)");
  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad("empty fraction");
    for (int k = digits; k < 9; ++k)
      nanos *= 10;
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!ReadInt(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadInt(s, pos + 4, 2, &om) || oh > 23 || om > 59)
      return bad("bad UTC offset");
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("missing time zone (Z or ±HH:MM)");
  }
  if (pos != s.size()) return bad("trailing characters");
  auto t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset_min) +
           nanoseconds(nanos);
  return TimePoint(duration_cast<TimePoint::duration>(t.time_since_epoch()));
}

}  // namespace pactum
