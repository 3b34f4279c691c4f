// Rows and queries for runtime control: reviews of escalated (and sampled) decisions, and the
// shadow/enforce switches of pacts. Queries that serve a caller take the caller's tenant id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/store/sqlite.h"

namespace pactum::store {

struct ReviewRow {
  std::string id, tenant_id, decision_id;
  std::uint64_t decision_index = 0;
  std::string agent_id, workflow, action, owner;
  std::string kind;                         // escalation | sample
  std::string status;                       // pending | approved | denied
  std::int64_t created_at = 0, due_at = 0;  // Unix milliseconds
  std::optional<std::int64_t> resolved_at;
  std::string resolved_by, note;  // empty until resolved
  std::optional<std::uint64_t> resolution_index, overdue_index;
};

Status InsertReview(Connection& db, const ReviewRow& row);
Result<std::optional<ReviewRow>> FindReview(Connection& db, std::string_view tenant_id,
                                            std::string_view id);
struct ReviewFilter {
  std::optional<std::string> owner, agent_id, workflow;
  // pending, approved, denied, or overdue (pending and past due_at at `now`).
  std::optional<std::string> status;
  std::int64_t now = 0;
  std::size_t limit = 100;
};
// Oldest deadline first.
Result<std::vector<ReviewRow>> ListReviews(Connection& db, std::string_view tenant_id,
                                           const ReviewFilter& filter);
struct EscalationFilter {
  std::optional<std::string> agent_id, workflow;
  std::optional<std::int64_t> resolved_from, resolved_to;  // resolved_at in [from, to), Unix ms
};
// Every escalation review the filter admits, by decision index: no limit, for reports that
// count them all.
Result<std::vector<ReviewRow>> ListEscalations(Connection& db, std::string_view tenant_id,
                                               const EscalationFilter& filter);
// Records the resolution; fails with kFailedPrecondition when the review is no longer pending.
Status ResolveReview(Connection& db, std::string_view id, std::string_view status, std::int64_t at,
                     std::string_view by, std::string_view note, std::uint64_t resolution_index);
// Pending reviews past their deadline that have no review.overdue event yet, all tenants.
Result<std::vector<ReviewRow>> OverdueUnannounced(Connection& db, std::int64_t now,
                                                  std::size_t limit);
Status MarkOverdue(Connection& db, std::string_view id, std::uint64_t overdue_index);

struct PactModeRow {
  std::uint64_t log_index = 0;
  std::string tenant_id, pact_name, mode, set_by;
  std::int64_t at = 0;
};
Status InsertPactMode(Connection& db, const PactModeRow& row);
// Every switch, all tenants, in log order.
Result<std::vector<PactModeRow>> ListPactModes(Connection& db);

}  // namespace pactum::store
