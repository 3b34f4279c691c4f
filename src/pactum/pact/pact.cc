#include "pactum/pact/pact.h"

namespace pactum::pact {
namespace {

// Glob with `*` (any run, empty too) and `?` (one character), by backtracking to the last star.
bool GlobMatch(std::string_view glob, std::string_view text) {
  std::size_t g = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == text[t])) {
      ++g;
      ++t;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = t;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*')
    ++g;
  return g == glob.size();
}

}  // namespace

Autonomy DefaultAutonomy(Tier tier) {
  switch (tier) {
    case Tier::kPlatinum:
    case Tier::kGold:
      return Autonomy::kAutonomous;
    case Tier::kSilver:
      return Autonomy::kSupervised;
    case Tier::kBronze:
    case Tier::kUnrated:
      return Autonomy::kApproval;
  }
  return Autonomy::kApproval;
}

Consequence DefaultConsequence(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return Consequence::kSuspend;
    case Severity::kMajor:
      return Consequence::kNarrow;
    case Severity::kMinor:
      return Consequence::kWarn;
    case Severity::kInfo:
      return Consequence::kNone;
  }
  return Consequence::kNone;
}

bool AppliesTo(const Pact& pact, std::string_view agent_id) {
  for (const std::string& glob : pact.agents) {
    if (GlobMatch(glob, agent_id)) return true;
  }
  return false;
}

}  // namespace pactum::pact
