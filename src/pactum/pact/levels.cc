#include "pactum/pact/levels.h"

#include <array>
#include <utility>

namespace pactum::pact {
namespace {

template <typename E, std::size_t N>
std::optional<E> Lookup(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 5> kTiers = {"unrated", "bronze", "silver", "gold",
                                                    "platinum"};
constexpr std::array<std::string_view, 4> kAutonomies = {"suspended", "approval", "supervised",
                                                         "autonomous"};
constexpr std::array<std::string_view, 4> kSeverities = {"info", "minor", "major", "critical"};
constexpr std::array<std::string_view, 3> kVerifications = {"deterministic", "heuristic", "jury"};
constexpr std::array<std::string_view, 8> kOps = {"lt", "lte", "gt",       "gte",
                                                  "eq", "neq", "includes", "excludes"};
constexpr std::array<std::string_view, 2> kModes = {"enforce", "shadow"};
constexpr std::array<std::string_view, 5> kConsequences = {"none", "warn", "narrow", "suspend",
                                                           "restore"};

}  // namespace

std::string_view NameOf(Tier v) {
  return kTiers[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Autonomy v) {
  return kAutonomies[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Severity v) {
  return kSeverities[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Verification v) {
  return kVerifications[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Op v) {
  return kOps[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Mode v) {
  return kModes[static_cast<std::size_t>(v)];
}
std::string_view NameOf(Consequence v) {
  return kConsequences[static_cast<std::size_t>(v)];
}

std::optional<Tier> ParseTier(std::string_view s) {
  return Lookup<Tier>(kTiers, s);
}
std::optional<Autonomy> ParseAutonomy(std::string_view s) {
  return Lookup<Autonomy>(kAutonomies, s);
}
std::optional<Severity> ParseSeverity(std::string_view s) {
  return Lookup<Severity>(kSeverities, s);
}
std::optional<Verification> ParseVerification(std::string_view s) {
  return Lookup<Verification>(kVerifications, s);
}
std::optional<Op> ParseOp(std::string_view s) {
  return Lookup<Op>(kOps, s);
}
std::optional<Mode> ParseMode(std::string_view s) {
  return Lookup<Mode>(kModes, s);
}
std::optional<Consequence> ParseConsequence(std::string_view s) {
  auto c = Lookup<Consequence>(kConsequences, s);
  if (c == Consequence::kRestore) return std::nullopt;
  return c;
}

bool Compare(double value, Op op, double threshold) {
  switch (op) {
    case Op::kLt:
      return value < threshold;
    case Op::kLte:
      return value <= threshold;
    case Op::kGt:
      return value > threshold;
    case Op::kGte:
      return value >= threshold;
    case Op::kEq:
      return value == threshold;
    case Op::kNeq:
      return value != threshold;
    case Op::kIncludes:
    case Op::kExcludes:
      return false;
  }
  return false;
}

}  // namespace pactum::pact
