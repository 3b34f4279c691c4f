// A pact (DESIGN §4): what an agent in a workflow commits to, the runtime boundaries of what it
// may do, who owns its escalations and what happens on breach. This is the validated model;
// loader.h reads it from YAML, and ToJson/FromJson give its canonical JSON form, whose SHA-256
// is the pact's hash: what evidence and decisions refer to.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/levels.h"

namespace pactum::pact {

struct Condition {
  std::string id;      // unique within the pact: [a-z0-9][a-z0-9_.-]*
  std::string metric;  // a name FindMetric knows
  Op op = Op::kGte;
  // The comparison value for lt…neq; for includes/excludes, `names` holds the name(s).
  double threshold = 0;
  std::vector<std::string> names;
  // Evaluated over the events of the last `window_seconds` (0: every event, no window).
  std::int64_t window_seconds = 0;
  // A window with fewer events is not evaluated (no breach, no pass). Default 1.
  std::int64_t min_samples = 1;
  Severity severity = Severity::kMajor;
  Verification verification = Verification::kDeterministic;
  std::string dimension;  // the metric's default dimension when the YAML gives none
  std::string rubric;     // jury conditions: the rubric file, relative to the pact file
  int judges = 0;         // jury conditions: 3, 5 or 7
};

// A Cedar file the pact names, with its text (read at load time, so the hash covers what is
// enforced, not only a file name).
struct BoundaryFile {
  std::string file;  // as written in the pact
  std::string text;
};

struct Boundaries {
  BoundaryFile policies;
  std::optional<BoundaryFile> schema;
};

struct Pact {
  std::string name;          // `pact:`; [a-z0-9][a-z0-9_-]*
  std::int64_t version = 0;  // ≥ 1
  std::string workflow;
  std::vector<std::string> agents;  // globs over agent ids (`*` and `?`)
  std::string owner;                // who receives escalations
  Mode mode = Mode::kEnforce;
  std::vector<Condition> conditions;
  std::optional<Boundaries> boundaries;
  // Autonomy for each tier; tiers the YAML leaves out take DefaultAutonomy.
  std::map<Tier, Autonomy> autonomy;
  // The agent's own confidence (0..1) below which an allowed act goes to a human. 0: never.
  double escalate_below_confidence = 0;
  // What a breach of each severity does; severities the YAML leaves out take
  // DefaultConsequence.
  std::map<Severity, Consequence> consequences;
  // Runtime control (DESIGN §6, issue 6): review deadline and the share of `supervised`
  // allows sampled for review.
  std::int64_t review_sla_seconds = 15 * 60;
  double supervised_sample_rate = 0.1;
};

// DESIGN §4's example defaults: platinum and gold autonomous, silver supervised, bronze and
// unrated approval.
Autonomy DefaultAutonomy(Tier tier);
// critical suspend, major narrow, minor warn, info none.
Consequence DefaultConsequence(Severity severity);

// The canonical JSON form: every field, defaults filled in, boundary texts included. Its RFC
// 8785 serialisation is what Hash digests.
Json ToJson(const Pact& pact);
// The inverse of ToJson, validating as the YAML loader does (errors name the JSON field).
Result<Pact> FromJson(const Json& json);
// Lower-case hex SHA-256 of the canonical JSON.
std::string Hash(const Pact& pact);

// Whether the pact's `agents` globs match the agent id.
bool AppliesTo(const Pact& pact, std::string_view agent_id);

}  // namespace pactum::pact
