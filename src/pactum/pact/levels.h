// The small vocabularies pacts and trust share (DESIGN §2, §4, §5): tiers, autonomy levels,
// condition severities and operators, consequences. Each has a stable lower-case name, which is
// what YAML, JSON and the log carry; ParseX returns nullopt for a name it does not know.
#pragma once

#include <optional>
#include <string_view>

namespace pactum::pact {

// Ordered from least to most trusted, so tiers compare with < and std::min.
enum class Tier { kUnrated, kBronze, kSilver, kGold, kPlatinum };
// Ordered from least to most autonomy: narrowing moves towards kSuspended.
enum class Autonomy { kSuspended, kApproval, kSupervised, kAutonomous };
enum class Severity { kInfo, kMinor, kMajor, kCritical };
enum class Verification { kDeterministic, kHeuristic, kJury };
enum class Op { kLt, kLte, kGt, kGte, kEq, kNeq, kIncludes, kExcludes };
enum class Mode { kEnforce, kShadow };
// What a breach of a condition of some severity does. kRestore lifts an earlier narrow or
// suspend; it is never configured, only applied.
enum class Consequence { kNone, kWarn, kNarrow, kSuspend, kRestore };

std::string_view NameOf(Tier);          // unrated bronze silver gold platinum
std::string_view NameOf(Autonomy);      // suspended approval supervised autonomous
std::string_view NameOf(Severity);      // info minor major critical
std::string_view NameOf(Verification);  // deterministic heuristic jury
std::string_view NameOf(Op);            // lt lte gt gte eq neq includes excludes
std::string_view NameOf(Mode);          // enforce shadow
std::string_view NameOf(Consequence);   // none warn narrow suspend restore

std::optional<Tier> ParseTier(std::string_view);
std::optional<Autonomy> ParseAutonomy(std::string_view);
std::optional<Severity> ParseSeverity(std::string_view);
std::optional<Verification> ParseVerification(std::string_view);
std::optional<Op> ParseOp(std::string_view);
std::optional<Mode> ParseMode(std::string_view);
// Only the configurable ones: none warn narrow suspend.
std::optional<Consequence> ParseConsequence(std::string_view);

// Whether `value op threshold` holds, for the numeric operators (false for includes/excludes).
bool Compare(double value, Op op, double threshold);

}  // namespace pactum::pact
