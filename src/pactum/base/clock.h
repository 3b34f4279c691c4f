// Time. Everything that reads the wall clock takes a Clock so that tests can set the time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The real wall clock; a process-wide instance.
const Clock& SystemClock();

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{}) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::nanoseconds d) {
    now_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
  }

 private:
  std::atomic<TimePoint::duration::rep> now_;
};

// Milliseconds since the Unix epoch.
std::int64_t UnixMillis(TimePoint t);
TimePoint FromUnixMillis(std::int64_t ms);

// RFC 3339 in UTC with millisecond precision: "2026-11-21T20:01:02.345Z".
std::string FormatRfc3339(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)".
Result<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace pactum
