// Deterministic checkers (DESIGN §8). A check is defined by a JSON object whose `type` picks
// one of:
//   equals    output at `actual` equals `value`, or the case's expected at `expected`
//   one_of    output at `actual` is one of `values`, or of the list at `expected`
//   regex     output at `actual` (a string) matches `pattern` (ECMAScript, searched)
//   schema    output at `actual` (default: all of it) validates against `schema` (schema.h)
//   compare   output at `actual` (a number) is `op` (lt lte gt gte eq neq) `value`, or the
//             expected number at `expected`
//   latency   the agent's answer took at most `max_ms` (a case with no latency fails it)
//   cost      the agent's answer cost at most `max_usd` (a case with no cost fails it)
// `actual` and `expected` are JSON pointers ("" is the whole document), into the agent's output
// and into the case's `expected`. A pointer that finds nothing fails the check, never errs.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "pactum/base/status.h"

namespace pactum::eval {

struct Check {
  enum class Type { kEquals, kOneOf, kRegex, kSchema, kCompare, kLatency, kCost };
  std::string name;  // [a-z0-9_]+, as in a pact's check.<name>
  Type type = Type::kEquals;
  std::string actual;                   // pointer into the output
  std::optional<std::string> expected;  // pointer into the case's expected
  Json value;                           // equals, compare: the literal; one_of: the values
  std::shared_ptr<const std::regex> pattern;
  Json schema;
  std::string op;    // compare
  double limit = 0;  // latency max_ms, cost max_usd
};

// Errors are kInvalidArgument naming the check and field ("checks.label: pattern: ...").
Result<Check> ParseCheck(const std::string& name, const Json& spec);

struct Observation {
  const Json& output;
  const Json& expected;
  std::optional<double> latency_ms;
  std::optional<double> cost_usd;
};

bool RunCheck(const Check& check, const Observation& observation);

}  // namespace pactum::eval
