// Webhook subscriptions and their outbox (migration 4). Deliveries are created by the
// events_to_webhooks trigger in the transaction that inserts an event; these queries read the
// due ones and record each attempt. Every query that takes a tenant stays within it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/store/records.h"
#include "pactum/store/sqlite.h"

namespace pactum::store {

struct WebhookRow {
  std::string id, tenant_id, url, secret;
  std::string event_types;  // JSON array
  std::string description;
  bool enabled = true;
  std::int64_t consecutive_failures = 0;
  std::optional<std::string> disabled_reason;
  std::int64_t created_at = 0;  // Unix ms
};

Status InsertWebhook(Connection& db, const WebhookRow& row);
Result<std::vector<WebhookRow>> ListWebhooks(Connection& db, std::string_view tenant_id);
Result<std::optional<WebhookRow>> GetWebhook(Connection& db, std::string_view tenant_id,
                                             std::string_view id);
// Removes the subscription and its deliveries; false if there was none.
Result<bool> DeleteWebhook(Connection& db, std::string_view tenant_id, std::string_view id);
// Enables it again, forgets its failures, and makes its pending deliveries due at `now`;
// false if there is no such subscription.
Result<bool> EnableWebhook(Connection& db, std::string_view tenant_id, std::string_view id,
                           std::int64_t now);

struct DeliveryRow {
  std::string webhook_id;
  std::uint64_t event_index = 0;
  std::string status;  // pending | delivered | failed
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::optional<std::string> last_error;
  std::optional<std::int64_t> last_status, delivered_at;
  std::string event_id, event_type;
};

// A subscription's deliveries, newest event first.
Result<std::vector<DeliveryRow>> ListDeliveries(Connection& db, std::string_view webhook_id,
                                                std::optional<std::string> status,
                                                std::size_t limit);

// A delivery to attempt, with what sending it needs.
struct DueDelivery {
  std::string webhook_id, url, secret;
  std::int64_t consecutive_failures = 0;  // of the subscription
  EventRow event;
};

// For each enabled subscription, its oldest pending delivery if that is due at `now`, skipping
// subscriptions in `busy`; oldest due first, at most `limit`. Only the head of a subscription's
// queue is offered, so each receiver gets its events in log order, one at a time, and a failing
// one is retried on its backoff rather than hammered with the rest of the queue.
Result<std::vector<DueDelivery>> DueDeliveries(Connection& db, std::int64_t now,
                                               const std::vector<std::string>& busy,
                                               std::size_t limit);
// When the first of those heads (outside `busy`) falls due; none when nothing is pending.
Result<std::optional<std::int64_t>> NextDeliveryDue(Connection& db,
                                                    const std::vector<std::string>& busy);

// Records a 2xx: the delivery is done and the subscription's failure count starts again.
Status MarkDelivered(Connection& db, std::string_view webhook_id, std::uint64_t event_index,
                     long http_status, std::int64_t now);

// Records a failed attempt. The delivery is tried again at `next_attempt_at`, or given up
// (status failed) once it has had `give_up_after` attempts. The subscription's consecutive
// failures grow by one; at `disable_after` (or at once if `disable_now`, e.g. 410 Gone) it is
// disabled with `reason` and its pending deliveries wait for it to be enabled. Returns true if
// this attempt disabled it.
struct FailedAttempt {
  std::optional<long> http_status;
  std::string error;
  std::int64_t next_attempt_at = 0;
  std::int64_t give_up_after = 0;
  std::int64_t disable_after = 0;
  bool disable_now = false;
};
Result<bool> MarkFailed(Connection& db, std::string_view webhook_id, std::uint64_t event_index,
                        const FailedAttempt& attempt);

}  // namespace pactum::store
