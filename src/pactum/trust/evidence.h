// Evidence (DESIGN §2): a typed, timestamped record about one agent in one workflow. Evidence
// is append-only; an upheld dispute adds a correcting record and never edits one.
//
// The JSON form (docs/API.md) is an object with `kind`, `agent`, `workflow`, optional `time`
// (RFC 3339) and `severity`, and the parts its kind carries. Every part is optional unless its
// kind needs it; metrics (pact/metrics.h) read the parts they name:
//   classification {predicted, actual}     "TP" | "FP"
//   priority {predicted, actual}           "Low" | "Medium" | "High" | "Critical"
//   escalation {escalated, needed}         booleans
//   success                                boolean
//   latency_ms, cost_usd                   numbers ≥ 0
//   scores {criterion: 0..1}               jury scores
//   checks {name: bool}                    deterministic checks
//   actions [name, …]                      actions taken
//   outcomes {dimension: 0..1}             direct outcomes for trust dimensions
//   review {decision: approve|deny, review_id}            review_resolution
//   dispute {evidence_id, upheld, correction {…parts}}    dispute_resolution
//   subject                                what it is about (an alert id), free text
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/canonical_json.h"
#include "pactum/base/status.h"
#include "pactum/pact/levels.h"

namespace pactum::trust {

enum class EvidenceKind {
  kEvalCase,           // capability: a case of an evaluation suite
  kProductionOutcome,  // reputation, as are all below
  kAnalystVerdict,
  kBreach,
  kIncident,
  kReviewResolution,
  kDisputeResolution,
};
std::string_view NameOf(EvidenceKind);  // eval_case production_outcome analyst_verdict …
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view);

struct LabelPair {
  std::string predicted;
  std::string actual;
};

// The parts of evidence that metrics and dimensions read; a dispute's correction is one too.
struct Observations {
  std::optional<LabelPair> classification;
  std::optional<LabelPair> priority;
  std::optional<bool> escalated, escalation_needed;
  std::optional<bool> success;
  std::optional<double> latency_ms, cost_usd;
  std::map<std::string, double> scores;
  std::map<std::string, bool> checks;
  std::vector<std::string> actions;
  std::map<std::string, double> outcomes;
};

struct Evidence {
  std::string id;  // assigned when accepted (UUIDv7)
  EvidenceKind kind = EvidenceKind::kProductionOutcome;
  std::string agent;
  std::string workflow;
  double time = 0;  // seconds since the Unix epoch
  std::optional<pact::Severity> severity;
  std::string subject;
  Observations observed;
  // review_resolution
  std::optional<bool> review_approved;
  std::string review_id;
  // dispute_resolution: the disputed evidence and, when upheld, what it should have said.
  std::string disputed_evidence_id;
  std::optional<bool> dispute_upheld;
  std::optional<Observations> correction;
};

// Validates and reads the JSON form. `default_time` is used when `time` is absent. Errors are
// kInvalidArgument and name the field, e.g. "classification.predicted: must be \"TP\" or
// \"FP\"". Unknown top-level fields are errors (a typo must not silently drop evidence); the
// fields `id`, `idempotency_key`, `pact` and `fingerprint` are accepted and left to the caller.
Result<Evidence> EvidenceFromJson(const Json& json, double default_time);
// The JSON form (with `id` and `time`), which EvidenceFromJson reads back.
Json ToJson(const Evidence& evidence);
// The same, as the canonical JSON (RFC 8785) CanonicalJson(ToJson(evidence)) gives, written
// without building the document: it is the body of every evidence leaf.
void WriteCanonical(const Evidence& evidence, CanonicalWriter& out);

// Whether this evidence informs capability (evaluation) rather than reputation (production).
inline bool IsCapabilityEvidence(const Evidence& e) {
  return e.kind == EvidenceKind::kEvalCase;
}

}  // namespace pactum::trust
