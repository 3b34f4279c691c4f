// The trust state of one agent in one workflow under its pact (DESIGN §5): dual scores with
// lower bounds and confidence, tiers, condition windows and breaches, drift charts with SPRT
// recovery, and the consequences that set the agent's autonomy. docs/SCORING.md has the math.
//
// AgentTrust is an in-memory state machine: evidence goes in (Apply), events come out. It is
// deterministic (the same pact, config and evidence in the same order give the same state and
// events), so a service can rebuild it at start by replaying stored evidence. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/levels.h"
#include "pactum/pact/pact.h"
#include "pactum/trust/evidence.h"

namespace pactum::trust {

struct TierRule {
  pact::Tier tier;
  int min_lower_bound;  // on the 0..1000 scale
  double min_evidence;  // n, weight-averaged effective evidence
};

struct TrustConfig {
  double half_life_seconds = 30 * 86400.0;
  // Dimension weights (renormalised over measured dimensions); default DESIGN §5's.
  std::map<std::string, double> dimension_weights;
  double failure_weight = 2.0;  // λ: a production failure weighs this many successes
  std::map<pact::Severity, double> severity_weights = {{pact::Severity::kInfo, 0.5},
                                                       {pact::Severity::kMinor, 1},
                                                       {pact::Severity::kMajor, 2},
                                                       {pact::Severity::kCritical, 4}};
  double confidence_k = 20;  // confidence = n / (n + k)
  // Highest first: platinum ≥ 900 & n ≥ 200, gold 750/100, silver 600/50, bronze 400/20.
  std::vector<TierRule> tiers;
  int divergence = 150;  // |capability − reputation| that raises score.diverged
  // Hysteresis, in points of the 0..1000 scale: a side rises into a tier above the agent's
  // current one only once its lower bound clears the tier's minimum by this much (it falls at
  // once), and score.diverged is raised again only once the gap closed this far below
  // `divergence`. Without it, a lower bound that sits on a minimum flips the tier, and the
  // autonomy with it, every few hundred items.
  int hysteresis = 10;
  double target_arl0 = 1000;
  double sprt_alpha = 0.05, sprt_beta = 0.05;
  // A score.changed event when a score or its lower bound moved at least this far since the
  // last one reported.
  int score_event_step = 10;
  // After a fingerprint change, capability counts again once this much evaluation evidence
  // (n) was earned by the new fingerprint.
  double fresh_after_evidence = 20;
  // How many consequences Explain lists.
  std::size_t recent_consequences = 20;

  static TrustConfig Default();  // the above with DESIGN §5's weights and tiers filled in
};

// One event (DESIGN §2: every change is an event with its cause). `type` is one of
// score.changed tier.changed score.diverged trust.drift_detected pact.breached
// consequence.applied agent.fingerprint_changed; `data` carries the details and always a
// `cause` object (the evidence id and/or condition id that caused it).
struct TrustEvent {
  std::string type;
  double time = 0;
  Json data;
};

struct DimensionScore {
  std::string name;
  double weight = 0;  // renormalised over the measured dimensions
  double mean = 0, lower_bound = 0, n = 0;
  bool measured = false;
};

struct Score {
  bool measured = false;           // some dimension has evidence
  int value = 0, lower_bound = 0;  // 0..1000
  double confidence = 0, n = 0;
  pact::Tier tier = pact::Tier::kUnrated;
  std::vector<DimensionScore> dimensions;  // every configured dimension, measured or not
};

struct ConsequenceRecord {
  double time = 0;
  pact::Consequence action = pact::Consequence::kNone;
  pact::Autonomy from = pact::Autonomy::kApproval, to = pact::Autonomy::kApproval;
  Json cause;
};

struct TrustSnapshot {
  Score capability, reputation;
  pact::Tier tier = pact::Tier::kUnrated;  // the lower of the measured scores' tiers
  pact::Autonomy autonomy = pact::Autonomy::kApproval;
  bool drifting = false;
  bool fingerprint_fresh = true;
};

class AgentTrust {
 public:
  static Result<AgentTrust> Create(const pact::Pact& pact, const TrustConfig& config);
  AgentTrust(AgentTrust&&) noexcept;
  AgentTrust& operator=(AgentTrust&&) noexcept;
  ~AgentTrust();

  // Applies one accepted evidence item, appending the events it causes. Fails (changing
  // nothing) if the evidence is for another workflow or cannot be applied. A dispute names an
  // evidence id this state has applied; an upheld one withdraws that item's contribution and
  // applies the correction.
  Status Apply(const Evidence& evidence, std::vector<TrustEvent>* events);
  // The agent's behaviour-shaping assets changed: capability evidence is stale until
  // fresh_after_evidence is earned again.
  void FingerprintChanged(double time, const std::string& fingerprint,
                          std::vector<TrustEvent>* events);
  // A new pact version for the workflow: posteriors are kept; condition monitors whose
  // condition is unchanged (same id, metric, op, threshold, window) keep their state.
  Status Rebind(const pact::Pact& pact);

  TrustSnapshot Snapshot(double time) const;
  // The explained trust of GET /v1/agents/{id}/trust (docs/API.md): both scores with lower
  // bounds, confidence and dimensions, tier, autonomy, drift state per condition, condition
  // windows, fingerprint freshness and the recent consequences with their causes.
  Json Explain(double time) const;

  const pact::Pact& pact() const;

 private:
  struct State;
  explicit AgentTrust(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pactum::trust
