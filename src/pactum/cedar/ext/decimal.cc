#include "pactum/cedar/ext/decimal.h"

#include <functional>

#include <fmt/format.h>

#include "pactum/cedar/ext/literal.h"

namespace pactum::cedar::ext {
namespace {

constexpr std::string_view kDecimalType = "decimal";
constexpr std::uint64_t kScale = 10000;  // 10^kFractionDigits

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  const std::size_t integer_begin = pos;
  while (pos < text.size() && IsAsciiDigit(text[pos])) {
    ++pos;
  }
  const std::string_view integer = text.substr(integer_begin, pos - integer_begin);
  if (integer.empty() || pos == text.size() || text[pos] != '.') {
    return InvalidLiteral(kDecimalType, text, "expected an optional '-', digits, '.', then digits");
  }
  const std::string_view fraction = text.substr(pos + 1);
  if (fraction.empty()) return InvalidLiteral(kDecimalType, text, "expected digits after the '.'");
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    if (!IsAsciiDigit(fraction[i])) {
      return InvalidLiteral(kDecimalType, text,
                            fmt::format("unexpected character at position {}", pos + 1 + i));
    }
  }
  if (fraction.size() > static_cast<std::size_t>(kFractionDigits)) {
    return InvalidLiteral(kDecimalType, text,
                          fmt::format("{} digits after the '.', at most {} are allowed",
                                      fraction.size(), kFractionDigits));
  }

  // Accumulate the magnitude; leading zeros are allowed, so only the value can overflow.
  const std::uint64_t limit = MaxMagnitude(negative);
  std::uint64_t whole = 0;
  for (char c : integer) {
    whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
    if (whole > limit / kScale) {
      return InvalidLiteral(kDecimalType, text, "overflows the 64-bit decimal range");
    }
  }
  std::uint64_t part = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(kFractionDigits); ++i) {
    part = part * 10 + (i < fraction.size() ? static_cast<std::uint64_t>(fraction[i] - '0') : 0);
  }
  const std::uint64_t magnitude = whole * kScale + part;
  if (magnitude > limit)
    return InvalidLiteral(kDecimalType, text, "overflows the 64-bit decimal range");
  return Decimal(WithSign(negative, magnitude));
}

std::string Decimal::ToString() const {
  const bool negative = scaled_ < 0;
  const std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(scaled_ + 1)) + 1
                                           : static_cast<std::uint64_t>(scaled_);
  return fmt::format("{}{}.{:04}", negative ? "-" : "", magnitude / kScale, magnitude % kScale);
}

std::size_t Decimal::Hash() const {
  return std::hash<std::int64_t>{}(scaled_);
}

}  // namespace pactum::cedar::ext
