// Cedar's `decimal` extension type: a signed fixed-point number with exactly four fractional
// digits, stored as the integer value × 10^4 in an int64 (so its range is
// -922337203685477.5808 ..= 922337203685477.5807).
//
// Parse accepts what Cedar 4.x accepts: `-?[0-9]+\.[0-9]{1,4}` whose value fits the range.
// A leading '-' applies to the fractional digits too ("-0.5" is minus one half). Equality
// and ordering are numeric, so "1.0", "1.0000" and "01.0" are equal and "-0.0" equals "0.0".
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum::cedar::ext {

class Decimal {
 public:
  static constexpr int kFractionDigits = 4;

  // The argument of the Cedar constructor `decimal("...")`.
  static Result<Decimal> Parse(std::string_view text);

  // Always four fractional digits, as the Lean specification prints: "1.2300", "-0.0500".
  std::string ToString() const;

  // The stored integer: the decimal's value × 10^4.
  std::int64_t ScaledValue() const { return scaled_; }

  std::size_t Hash() const;

  friend bool operator==(const Decimal&, const Decimal&) = default;
  friend std::strong_ordering operator<=>(const Decimal&, const Decimal&) = default;

 private:
  explicit Decimal(std::int64_t scaled) : scaled_(scaled) {}

  std::int64_t scaled_;
};

}  // namespace pactum::cedar::ext
