// Internal to the extension types: shared pieces of their literal parsers.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum::cedar::ext {

// Cedar's literal grammars use ASCII digits only (std::isdigit would depend on the locale).
inline bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

// Numeric literals are read as a sign and an unsigned magnitude, so that INT64_MIN, whose
// magnitude no int64 holds, parses exactly. The largest magnitude allowed for that sign:
inline std::uint64_t MaxMagnitude(bool negative) {
  return static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
}
// The int64 with that sign and magnitude (<= MaxMagnitude): unsigned negation, then a modular
// conversion, exact since C++20.
inline std::int64_t WithSign(bool negative, std::uint64_t magnitude) {
  return static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
}

// `text` as a JSON string literal, quotes included, control characters escaped and invalid
// UTF-8 replaced: literals come from policies and requests, and messages that quote them end
// up in logs and JSON responses.
std::string Quoted(std::string_view text);

// InvalidArgument "invalid <type> <Quoted(literal)>: <why>".
Status InvalidLiteral(std::string_view type, std::string_view literal, std::string_view why);

}  // namespace pactum::cedar::ext
