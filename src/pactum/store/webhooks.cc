#include "pactum/store/webhooks.h"

#include "pactum/store/rows.h"

namespace pactum::store {
namespace {

constexpr const char* kWebhookColumns =
    "SELECT id, tenant_id, url, secret, event_types, description, enabled, consecutive_failures, "
    "disabled_reason, created_at FROM webhooks";

WebhookRow ReadWebhook(const Statement& st) {
  WebhookRow row;
  row.id = st.ColumnText(0);
  row.tenant_id = st.ColumnText(1);
  row.url = st.ColumnText(2);
  row.secret = st.ColumnText(3);
  row.event_types = st.ColumnText(4);
  row.description = st.ColumnText(5);
  row.enabled = st.ColumnInt(6) != 0;
  row.consecutive_failures = st.ColumnInt(7);
  if (!st.ColumnIsNull(8)) row.disabled_reason = st.ColumnText(8);
  row.created_at = st.ColumnInt(9);
  return row;
}

// The head of each enabled subscription's queue: its pending delivery with the lowest event
// index. ?1 is a JSON array of subscription ids to leave out. CROSS JOIN keeps subscriptions the
// outer loop (SQLite does not reorder it), so the cost grows with the number of subscriptions,
// never with the backlog of one.
constexpr const char* kHeads =
    " FROM webhooks w CROSS JOIN webhook_deliveries d ON d.webhook_id = w.id "
    "AND d.event_index = (SELECT MIN(x.event_index) FROM webhook_deliveries x "
    "INDEXED BY webhook_deliveries_pending WHERE x.webhook_id = w.id AND x.status = 'pending') "
    "JOIN events e ON e.log_index = d.event_index "
    "WHERE w.enabled = 1 AND w.id NOT IN (SELECT value FROM json_each(?1))";

std::string IdsJson(const std::vector<std::string>& ids) {
  return Json(ids).dump();
}

}  // namespace

Status InsertWebhook(Connection& db, const WebhookRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("INSERT INTO webhooks (id, tenant_id, url, secret, event_types, "
                 "description, enabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)"));
  st.Bind(1, row.id)
      .Bind(2, row.tenant_id)
      .Bind(3, row.url)
      .Bind(4, row.secret)
      .Bind(5, row.event_types)
      .Bind(6, row.description)
      .Bind(7, row.created_at);
  return st.Run();
}

Result<std::vector<WebhookRow>> ListWebhooks(Connection& db, std::string_view tenant_id) {
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(std::string(kWebhookColumns) +
                                              " WHERE tenant_id = ?1 ORDER BY created_at, id"));
  st.Bind(1, tenant_id);
  return AllRows(st, ReadWebhook);
}

Result<std::optional<WebhookRow>> GetWebhook(Connection& db, std::string_view tenant_id,
                                             std::string_view id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kWebhookColumns) + " WHERE tenant_id = ?1 AND id = ?2"));
  st.Bind(1, tenant_id).Bind(2, id);
  return FirstRow(st, ReadWebhook);
}

Result<bool> DeleteWebhook(Connection& db, std::string_view tenant_id, std::string_view id) {
  PACTUM_ASSIGN_OR_RETURN(auto del,
                          db.Prepare("DELETE FROM webhooks WHERE tenant_id = ?1 AND id = ?2"));
  PACTUM_TRY(del.Bind(1, tenant_id).Bind(2, id).Run());
  if (db.Changes() == 0) return false;
  PACTUM_ASSIGN_OR_RETURN(auto deliveries,
                          db.Prepare("DELETE FROM webhook_deliveries WHERE webhook_id = ?1"));
  PACTUM_TRY(deliveries.Bind(1, id).Run());
  return true;
}

Result<bool> EnableWebhook(Connection& db, std::string_view tenant_id, std::string_view id,
                           std::int64_t now) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("UPDATE webhooks SET enabled = 1, consecutive_failures = 0, "
                                     "disabled_reason = NULL WHERE tenant_id = ?1 AND id = ?2"));
  PACTUM_TRY(st.Bind(1, tenant_id).Bind(2, id).Run());
  if (db.Changes() == 0) return false;
  PACTUM_ASSIGN_OR_RETURN(
      auto due,
      db.Prepare("UPDATE webhook_deliveries SET next_attempt_at = ?2 "
                 "WHERE webhook_id = ?1 AND status = 'pending' AND next_attempt_at > ?2"));
  PACTUM_TRY(due.Bind(1, id).Bind(2, now).Run());
  return true;
}

Result<std::vector<DeliveryRow>> ListDeliveries(Connection& db, std::string_view webhook_id,
                                                std::optional<std::string> status,
                                                std::size_t limit) {
  std::string sql =
      "SELECT d.webhook_id, d.event_index, d.status, d.attempts, d.next_attempt_at, d.last_error, "
      "d.last_status, d.delivered_at, e.id, e.type FROM webhook_deliveries d "
      "JOIN events e ON e.log_index = d.event_index WHERE d.webhook_id = ?1";
  if (status) sql += " AND d.status = ?2";
  sql += " ORDER BY d.event_index DESC LIMIT ?3";
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
  st.Bind(1, webhook_id).Bind(3, static_cast<std::int64_t>(limit));
  if (status) st.Bind(2, *status);
  return AllRows(
      st, +[](const Statement& s) {
        DeliveryRow row;
        row.webhook_id = s.ColumnText(0);
        row.event_index = FromSql(s.ColumnInt(1));
        row.status = s.ColumnText(2);
        row.attempts = s.ColumnInt(3);
        row.next_attempt_at = s.ColumnInt(4);
        if (!s.ColumnIsNull(5)) row.last_error = s.ColumnText(5);
        row.last_status = s.ColumnOptionalInt(6);
        row.delivered_at = s.ColumnOptionalInt(7);
        row.event_id = s.ColumnText(8);
        row.event_type = s.ColumnText(9);
        return row;
      });
}

Result<std::vector<DueDelivery>> DueDeliveries(Connection& db, std::int64_t now,
                                               const std::vector<std::string>& busy,
                                               std::size_t limit) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare(
          std::string("SELECT w.id, w.url, w.secret, w.consecutive_failures, e.log_index, e.id, "
                      "e.tenant_id, e.type, e.agent_id, e.workflow, e.time, e.cause_index, "
                      "e.data") +
          kHeads +
          " AND d.next_attempt_at <= ?2 ORDER BY d.next_attempt_at, d.event_index "
          "LIMIT ?3"));
  st.Bind(1, IdsJson(busy)).Bind(2, now).Bind(3, static_cast<std::int64_t>(limit));
  std::vector<DueDelivery> due;
  while (true) {
    PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
    if (!found) return due;
    DueDelivery d;
    d.webhook_id = st.ColumnText(0);
    d.url = st.ColumnText(1);
    d.secret = st.ColumnText(2);
    d.consecutive_failures = st.ColumnInt(3);
    d.event = EventRow{static_cast<std::uint64_t>(st.ColumnInt(4)),
                       st.ColumnText(5),
                       st.ColumnText(6),
                       st.ColumnText(7),
                       st.ColumnText(8),
                       st.ColumnText(9),
                       st.ColumnInt(10),
                       static_cast<std::uint64_t>(st.ColumnInt(11)),
                       st.ColumnText(12)};
    due.push_back(std::move(d));
  }
}

Result<std::optional<std::int64_t>> NextDeliveryDue(Connection& db,
                                                    const std::vector<std::string>& busy) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare(std::string("SELECT MIN(d.next_attempt_at)") + kHeads));
  st.Bind(1, IdsJson(busy));
  PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found || st.ColumnIsNull(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st.ColumnInt(0));
}

Status MarkDelivered(Connection& db, std::string_view webhook_id, std::uint64_t event_index,
                     long http_status, std::int64_t now) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("UPDATE webhook_deliveries SET status = 'delivered', attempts = "
                          "attempts + 1, last_status = ?3, last_error = NULL, delivered_at = ?4 "
                          "WHERE webhook_id = ?1 AND event_index = ?2 AND status = 'pending'"));
  PACTUM_TRY(st.Bind(1, webhook_id)
                 .Bind(2, static_cast<std::int64_t>(event_index))
                 .Bind(3, static_cast<std::int64_t>(http_status))
                 .Bind(4, now)
                 .Run());
  PACTUM_ASSIGN_OR_RETURN(auto reset,
                          db.Prepare("UPDATE webhooks SET consecutive_failures = 0 WHERE id = ?1"));
  return reset.Bind(1, webhook_id).Run();
}

Result<bool> MarkFailed(Connection& db, std::string_view webhook_id, std::uint64_t event_index,
                        const FailedAttempt& attempt) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?3, "
                 "last_error = ?4, next_attempt_at = ?5, status = CASE WHEN attempts + 1 >= ?6 "
                 "THEN 'failed' ELSE 'pending' END "
                 "WHERE webhook_id = ?1 AND event_index = ?2 AND status = 'pending'"));
  std::optional<std::int64_t> http_status;
  if (attempt.http_status) http_status = *attempt.http_status;
  PACTUM_TRY(st.Bind(1, webhook_id)
                 .Bind(2, static_cast<std::int64_t>(event_index))
                 .Bind(3, http_status)
                 .Bind(4, attempt.error)
                 .Bind(5, attempt.next_attempt_at)
                 .Bind(6, attempt.give_up_after)
                 .Run());
  PACTUM_ASSIGN_OR_RETURN(
      auto count, db.Prepare("UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 "
                             "WHERE id = ?1 AND enabled = 1"));
  PACTUM_TRY(count.Bind(1, webhook_id).Run());
  if (db.Changes() == 0) return false;  // deleted or disabled meanwhile
  PACTUM_ASSIGN_OR_RETURN(auto read,
                          db.Prepare("SELECT consecutive_failures FROM webhooks WHERE id = ?1"));
  read.Bind(1, webhook_id);
  PACTUM_ASSIGN_OR_RETURN(bool found, read.Step());
  if (!found) return false;
  const std::int64_t failures = read.ColumnInt(0);
  if (!attempt.disable_now && failures < attempt.disable_after) return false;
  const std::string reason = attempt.disable_now
                                 ? "disabled: " + attempt.error
                                 : "disabled after " + std::to_string(failures) +
                                       " consecutive failed attempts; the last: " + attempt.error;
  PACTUM_ASSIGN_OR_RETURN(
      auto disable,
      db.Prepare("UPDATE webhooks SET enabled = 0, disabled_reason = ?2 WHERE id = ?1"));
  PACTUM_TRY(disable.Bind(1, webhook_id).Bind(2, reason).Run());
  return true;
}

}  // namespace pactum::store
