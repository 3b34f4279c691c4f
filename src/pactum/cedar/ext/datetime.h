// Cedar's `datetime` and `duration` extension types (RFC 80), both int64 milliseconds.
//
// Datetime::Parse accepts exactly the five Cedar forms, with a four-digit year 0000..9999:
//   YYYY-MM-DD   YYYY-MM-DDThh:mm:ssZ   YYYY-MM-DDThh:mm:ss.SSSZ
//   YYYY-MM-DDThh:mm:ss(+|-)hhmm   YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm
// The date must exist in the proleptic Gregorian calendar, hh < 24, mm < 60, ss < 60 (no leap
// seconds), and an offset must be below 24 hours with minutes below 60. The offset is folded
// into the value (normalised to UTC) and not kept.
//
// Duration::Parse accepts an optional '-' and then quantity-unit pairs in the order
// d, h, m, s, ms, each unit at most once (at least one pair); quantities are unsigned decimal.
// The total must fit an int64 (so the most negative duration is allowed).
//
// Arithmetic that would leave the int64 range is an error, never a wrap.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum::cedar::ext {

class Duration {
 public:
  // The argument of the Cedar constructor `duration("...")`.
  static Result<Duration> Parse(std::string_view text);
  static Duration FromMilliseconds(std::int64_t ms) { return Duration(ms); }

  // "<milliseconds>ms", Cedar's canonical spelling: "5400000ms", "-1ms".
  std::string ToString() const;

  // Each truncates toward zero, as Cedar does: duration("-1d23h").ToDays() == -1.
  std::int64_t ToMilliseconds() const { return ms_; }
  std::int64_t ToSeconds() const { return ToMilliseconds() / 1000; }
  std::int64_t ToMinutes() const { return ToSeconds() / 60; }
  std::int64_t ToHours() const { return ToMinutes() / 60; }
  std::int64_t ToDays() const { return ToHours() / 24; }

  std::size_t Hash() const;

  friend bool operator==(const Duration&, const Duration&) = default;
  friend std::strong_ordering operator<=>(const Duration&, const Duration&) = default;

 private:
  explicit Duration(std::int64_t ms) : ms_(ms) {}

  std::int64_t ms_;
};

class Datetime {
 public:
  // The argument of the Cedar constructor `datetime("...")`.
  static Result<Datetime> Parse(std::string_view text);

  // "YYYY-MM-DDThh:mm:ssZ", with ".SSS" before the Z when the milliseconds are not zero.
  // Arithmetic can reach instants outside the years 0000..9999 that Parse accepts; those
  // print with a signed, expanded year ("+10000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z")
  // that Parse rejects.
  std::string ToString() const;

  std::int64_t MillisecondsSinceEpoch() const { return ms_; }

  // this + duration.
  Result<Datetime> Offset(Duration duration) const;
  // this - other.
  Result<Duration> DurationSince(Datetime other) const;
  // Midnight (UTC) of this instant's day, rounding toward the past for instants before 1970.
  Result<Datetime> ToDate() const;
  // The time elapsed since that midnight, in [0, 24h).
  Duration ToTime() const;

  std::size_t Hash() const;

  friend bool operator==(const Datetime&, const Datetime&) = default;
  friend std::strong_ordering operator<=>(const Datetime&, const Datetime&) = default;

 private:
  explicit Datetime(std::int64_t ms) : ms_(ms) {}

  std::int64_t ms_;  // since 1970-01-01T00:00:00Z, leap seconds not counted
};

}  // namespace pactum::cedar::ext
