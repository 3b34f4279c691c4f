// What changed between two pacts, field by field, for review (`pactum pact diff`).
//
// Both pacts are compared in their canonical JSON form (pact.h), so defaults that were left out
// and written out compare equal. Paths read like the YAML: "mode", "autonomy.silver",
// "conditions[tp-recall].threshold" (conditions are matched by id, so reordering them is no
// change), "boundaries.policies.text". A changed boundary text is summarised by line counts, not
// shown in full.
#pragma once

#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/pact.h"

namespace pactum::pact {

enum class ChangeKind { kAdded, kRemoved, kChanged };
std::string_view NameOf(ChangeKind kind);  // added removed changed

struct PactChange {
  std::string path;
  ChangeKind kind = ChangeKind::kChanged;
  Json old_value;  // null when added
  Json new_value;  // null when removed
  // Boundary texts only: "12 -> 14 lines (+3 -1)"; the values are then their line counts.
  std::string summary;
};

// The changes from `a` to `b`, in the order of the canonical form's fields; empty when the
// pacts hash the same.
std::vector<PactChange> Diff(const Pact& a, const Pact& b);

// One line per change: "~ path: old -> new", "+ path: new", "- path: old".
std::string RenderDiff(const std::vector<PactChange>& changes);
// [{"path", "kind", "old", "new", "summary"?}]
Json DiffToJson(const std::vector<PactChange>& changes);

}  // namespace pactum::pact
