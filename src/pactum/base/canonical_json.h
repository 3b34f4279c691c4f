// RFC 8785 JSON Canonicalization Scheme (JCS).
//
// The canonical form is what pactum hashes and signs: object members sorted by the UTF-16
// code units of their names, no insignificant whitespace, strings with only the escapes JCS
// requires, and numbers serialised as ECMAScript's Number.prototype.toString does for the
// IEEE-754 double they denote. Integers outside ±2^53 therefore lose precision, as JCS says;
// callers that need exact large integers must carry them as strings.
#pragma once

#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

// Fails with kInvalidArgument for NaN or infinite numbers, invalid UTF-8, or binary values.
Result<std::string> CanonicalJson(const Json& value);

// Parses `text` and canonicalises it.
Result<std::string> CanonicalizeJsonText(std::string_view text);

// The ECMAScript string form of a finite double ("1e+21", "0.000001", "-0" → "0").
std::string EcmaNumberString(double value);

}  // namespace pactum
