// RFC 8785 JSON Canonicalization Scheme (JCS).
//
// The canonical form is what pactum hashes and signs: object members sorted by the UTF-16
// code units of their names, no insignificant whitespace, strings with only the escapes JCS
// requires, and numbers serialised as ECMAScript's Number.prototype.toString does for the
// IEEE-754 double they denote. Integers outside ±2^53 therefore lose precision, as JCS says;
// callers that need exact large integers must carry them as strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum {

// Fails with kInvalidArgument for NaN or infinite numbers, invalid UTF-8, or binary values.
Result<std::string> CanonicalJson(const Json& value);

// Parses `text` and canonicalises it.
Result<std::string> CanonicalizeJsonText(std::string_view text);

// The ECMAScript string form of a finite double ("1e+21", "0.000001", "-0" → "0").
std::string EcmaNumberString(double value);

// Canonical JSON written value by value, for callers that know their document's shape: no
// document is built. Object members must be given in canonical order; a caller writing ASCII
// names gives them in byte order. A name out of order (or beyond U+FFFF, where UTF-16 order
// differs from byte order), invalid UTF-8, a value where a name is due or unbalanced nesting
// makes Finish fail, naming the first mistake (kInternal for a misuse, kInvalidArgument for
// a value with no canonical form).
class CanonicalWriter {
 public:
  // Room for `expected_size` bytes is made at once (a decision or evidence leaf fits 1 KiB).
  explicit CanonicalWriter(std::size_t expected_size = 1024) { out_.reserve(expected_size); }

  CanonicalWriter& BeginObject();
  CanonicalWriter& EndObject();
  CanonicalWriter& BeginArray();
  CanonicalWriter& EndArray();
  CanonicalWriter& Name(std::string_view name);
  CanonicalWriter& String(std::string_view value);
  CanonicalWriter& Int(std::int64_t value);
  // As ECMAScript prints it; NaN and infinities have no JSON form (kInvalidArgument).
  CanonicalWriter& Number(double value);
  CanonicalWriter& Bool(bool value);
  // Any document, canonicalised.
  CanonicalWriter& Value(const Json& value);
  // A value given as canonical text (what CanonicalJson or another writer produced), copied as
  // it is: the caller vouches for it.
  CanonicalWriter& Canonical(std::string_view text);
  // The text, once every object and array is closed.
  Result<std::string> Finish() &&;

 private:
  struct Open {
    bool object = false;
    bool empty = true;
    bool named = false;  // an object's name was given; its value is due
    // An object's previous member name: out_[last_at, last_at + last_size) as written when it
    // was plain ASCII, last_name when it needed escapes.
    bool last_escaped = false;
    std::size_t last_at = 0;
    std::size_t last_size = 0;
    std::string last_name;
  };
  bool BeforeValue();     // the separator, and whether a value may come here
  void Fail(Status why);  // keeps the first

  std::string out_;
  std::vector<Open> open_;
  bool done_ = false;  // a complete top-level value was written
  Status status_;
};

}  // namespace pactum
