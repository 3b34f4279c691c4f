#include "pactum/store/reviews.h"

#include "pactum/store/rows.h"

namespace pactum::store {
namespace {

constexpr const char* kReviewColumns =
    "SELECT id, tenant_id, decision_id, decision_index, agent_id, workflow, action, owner, kind, "
    "status, created_at, due_at, resolved_at, resolved_by, note, resolution_index, "
    "overdue_index FROM reviews";

ReviewRow ReadReview(const Statement& st) {
  ReviewRow row;
  row.id = st.ColumnText(0);
  row.tenant_id = st.ColumnText(1);
  row.decision_id = st.ColumnText(2);
  row.decision_index = FromSql(st.ColumnInt(3));
  row.agent_id = st.ColumnText(4);
  row.workflow = st.ColumnText(5);
  row.action = st.ColumnText(6);
  row.owner = st.ColumnText(7);
  row.kind = st.ColumnText(8);
  row.status = st.ColumnText(9);
  row.created_at = st.ColumnInt(10);
  row.due_at = st.ColumnInt(11);
  row.resolved_at = st.ColumnOptionalInt(12);
  if (!st.ColumnIsNull(13)) row.resolved_by = st.ColumnText(13);
  if (!st.ColumnIsNull(14)) row.note = st.ColumnText(14);
  if (auto v = st.ColumnOptionalInt(15)) row.resolution_index = FromSql(*v);
  if (auto v = st.ColumnOptionalInt(16)) row.overdue_index = FromSql(*v);
  return row;
}

}  // namespace

Status InsertReview(Connection& db, const ReviewRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("INSERT INTO reviews (id, tenant_id, decision_id, decision_index, agent_id, "
                 "workflow, action, owner, kind, status, created_at, due_at) VALUES (?1, ?2, ?3, "
                 "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  st.Bind(1, row.id)
      .Bind(2, row.tenant_id)
      .Bind(3, row.decision_id)
      .Bind(4, ToSql(row.decision_index))
      .Bind(5, row.agent_id)
      .Bind(6, row.workflow)
      .Bind(7, row.action)
      .Bind(8, row.owner)
      .Bind(9, row.kind)
      .Bind(10, row.status)
      .Bind(11, row.created_at)
      .Bind(12, row.due_at);
  return st.Run();
}

Result<std::optional<ReviewRow>> FindReview(Connection& db, std::string_view tenant_id,
                                            std::string_view id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kReviewColumns) + " WHERE tenant_id = ?1 AND id = ?2"));
  st.Bind(1, tenant_id).Bind(2, id);
  return FirstRow(st, ReadReview);
}

Result<std::vector<ReviewRow>> ListReviews(Connection& db, std::string_view tenant_id,
                                           const ReviewFilter& filter) {
  Query query(kReviewColumns);
  query.Add(" WHERE tenant_id = ?", std::string(tenant_id)).AddIf(" AND owner = ?", filter.owner);
  query.AddIf(" AND agent_id = ?", filter.agent_id).AddIf(" AND workflow = ?", filter.workflow);
  if (filter.status && *filter.status == "overdue") {
    query.Add(" AND status = 'pending' AND due_at <= ?", filter.now);
  } else {
    query.AddIf(" AND status = ?", filter.status);
  }
  query.Add(" ORDER BY due_at, decision_index LIMIT ?", static_cast<std::int64_t>(filter.limit));
  PACTUM_ASSIGN_OR_RETURN(auto st, query.Prepare(db));
  return AllRows(st, ReadReview);
}

Result<std::vector<ReviewRow>> ListEscalations(Connection& db, std::string_view tenant_id,
                                               const EscalationFilter& filter) {
  Query query(kReviewColumns);
  query.Add(" WHERE tenant_id = ? AND kind = 'escalation'", std::string(tenant_id));
  query.AddIf(" AND agent_id = ?", filter.agent_id).AddIf(" AND workflow = ?", filter.workflow);
  query.AddIf(" AND resolved_at >= ?", filter.resolved_from);
  query.AddIf(" AND resolved_at < ?", filter.resolved_to);
  PACTUM_ASSIGN_OR_RETURN(auto st, query.Add(" ORDER BY decision_index").Prepare(db));
  return AllRows(st, ReadReview);
}

Status ResolveReview(Connection& db, std::string_view id, std::string_view status, std::int64_t at,
                     std::string_view by, std::string_view note, std::uint64_t resolution_index) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("UPDATE reviews SET status = ?2, resolved_at = ?3, resolved_by = ?4, "
                          "note = ?5, resolution_index = ?6 WHERE id = ?1 AND status = 'pending'"));
  st.Bind(1, id).Bind(2, status).Bind(3, at).Bind(4, by).Bind(5, note).Bind(
      6, ToSql(resolution_index));
  PACTUM_TRY(st.Run());
  if (db.Changes() == 0) return FailedPrecondition("review " + std::string(id) + " is not pending");
  return Status::Ok();
}

Result<std::vector<ReviewRow>> OverdueUnannounced(Connection& db, std::int64_t now,
                                                  std::size_t limit) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kReviewColumns) +
                          " WHERE status = 'pending' AND overdue_index IS NULL AND due_at <= ?1 "
                          "ORDER BY due_at LIMIT ?2"));
  st.Bind(1, now).Bind(2, static_cast<std::int64_t>(limit));
  return AllRows(st, ReadReview);
}

Status MarkOverdue(Connection& db, std::string_view id, std::uint64_t overdue_index) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("UPDATE reviews SET overdue_index = ?2 WHERE id = ?1"));
  st.Bind(1, id).Bind(2, ToSql(overdue_index));
  return st.Run();
}

Status InsertPactMode(Connection& db, const PactModeRow& row) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("INSERT INTO pact_modes (log_index, tenant_id, pact_name, "
                                     "mode, set_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st.Bind(1, ToSql(row.log_index))
      .Bind(2, row.tenant_id)
      .Bind(3, row.pact_name)
      .Bind(4, row.mode)
      .Bind(5, row.set_by)
      .Bind(6, row.at);
  return st.Run();
}

Result<std::vector<PactModeRow>> ListPactModes(Connection& db) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT log_index, tenant_id, pact_name, mode, set_by, at "
                                     "FROM pact_modes ORDER BY log_index"));
  return AllRows(
      st, +[](const Statement& s) {
        return PactModeRow{FromSql(s.ColumnInt(0)), s.ColumnText(1), s.ColumnText(2),
                           s.ColumnText(3),         s.ColumnText(4), s.ColumnInt(5)};
      });
}

}  // namespace pactum::store
