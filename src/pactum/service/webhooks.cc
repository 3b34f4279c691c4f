// Webhook subscriptions and delivery (docs/WEBHOOKS.md): the service side of the outbox that
// migration 4's trigger fills.
#include "pactum/store/webhooks.h"

#include <spdlog/spdlog.h>

#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/service/service.h"
#include "pactum/service/webhook_dispatcher.h"
#include "pactum/store/store.h"
#include "pactum/webhooks/message.h"
#include "pactum/webhooks/sender.h"
#include "pactum/webhooks/signature.h"

namespace pactum::service {
namespace {

constexpr std::size_t kMaxDescription = 500;

Result<Json> WebhookJson(const store::WebhookRow& row) {
  PACTUM_ASSIGN_OR_RETURN(Json events, ParseJson(row.event_types));
  return Json{{"id", row.id},
              {"url", row.url},
              {"events", std::move(events)},
              {"description", row.description},
              {"enabled", row.enabled},
              {"consecutive_failures", row.consecutive_failures},
              {"disabled_reason", row.disabled_reason ? Json(*row.disabled_reason) : Json()},
              {"created_at", FormatRfc3339(FromUnixMillis(row.created_at))}};
}

Json DeliveryJson(const store::DeliveryRow& row) {
  auto optional_time = [](const std::optional<std::int64_t>& t) {
    return t ? Json(FormatRfc3339(FromUnixMillis(*t))) : Json();
  };
  return {
      {"event_index", row.event_index},
      {"event_id", row.event_id},
      {"type", row.event_type},
      {"status", row.status},
      {"attempts", row.attempts},
      {"next_attempt_at", row.status == "pending" ? optional_time(row.next_attempt_at) : Json()},
      {"last_status", row.last_status ? Json(*row.last_status) : Json()},
      {"last_error", row.last_error ? Json(*row.last_error) : Json()},
      {"delivered_at", optional_time(row.delivered_at)}};
}

Status NoSuchWebhook(std::string_view id) {
  return NotFound("no webhook " + std::string(id), {{"field", "id"}});
}

}  // namespace

Result<Json> Service::CreateWebhook(const Principal& caller, const Json& body) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  if (!body.contains("url") || !body["url"].is_string())
    return InvalidArgument("url: required, a string", {{"field", "url"}});
  store::WebhookRow row;
  row.url = body["url"].get<std::string>();
  PACTUM_TRY(webhooks::CheckUrl(row.url));
  if (!body.contains("events"))
    return InvalidArgument("events: required, an array of event types", {{"field", "events"}});
  PACTUM_ASSIGN_OR_RETURN(auto filter, webhooks::ParseEventFilter(body["events"]));
  row.event_types = Json(filter).dump();
  if (body.contains("description")) {
    if (!body["description"].is_string() ||
        body["description"].get_ref<const std::string&>().size() > kMaxDescription)
      return InvalidArgument("description: a string of at most 500 characters",
                             {{"field", "description"}});
    row.description = body["description"].get<std::string>();
  }
  PACTUM_ASSIGN_OR_RETURN(row.secret, webhooks::NewSecret());
  row.id = NewUuidV7(*clock_);
  row.tenant_id = caller.tenant_id;
  row.created_at = UnixMillis(clock_->Now());
  PACTUM_TRY(store_->Write([&](store::Connection& db) { return store::InsertWebhook(db, row); }));
  PACTUM_ASSIGN_OR_RETURN(Json out, WebhookJson(row));
  out["secret"] = row.secret;
  return out;
}

Result<Json> Service::ListWebhooks(const Principal& caller) {
  Json out = Json::array();
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListWebhooks(db, caller.tenant_id));
    for (const auto& row : rows) {
      PACTUM_ASSIGN_OR_RETURN(Json item, WebhookJson(row));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Json> Service::GetWebhook(const Principal& caller, std::string_view id) {
  std::optional<store::WebhookRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::GetWebhook(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (!row) return NoSuchWebhook(id);
  return WebhookJson(*row);
}

Status Service::DeleteWebhook(const Principal& caller, std::string_view id) {
  bool deleted = false;
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(deleted, store::DeleteWebhook(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  return deleted ? Status::Ok() : NoSuchWebhook(id);
}

Result<Json> Service::EnableWebhook(const Principal& caller, std::string_view id) {
  bool found = false;
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        found, store::EnableWebhook(db, caller.tenant_id, id, UnixMillis(clock_->Now())));
    return Status::Ok();
  }));
  if (!found) return NoSuchWebhook(id);
  WakeWebhookDelivery();
  return GetWebhook(caller, id);
}

Result<Json> Service::ListWebhookDeliveries(const Principal& caller, std::string_view id,
                                            std::optional<std::string> status, std::size_t limit) {
  if (status && *status != "pending" && *status != "delivered" && *status != "failed")
    return InvalidArgument("status: one of pending, delivered, failed", {{"field", "status"}});
  Json out = Json::array();
  bool found = false;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto webhook, store::GetWebhook(db, caller.tenant_id, id));
    if (!webhook) return Status::Ok();
    found = true;
    PACTUM_ASSIGN_OR_RETURN(
        auto rows, store::ListDeliveries(db, id, status, std::min<std::size_t>(limit, 1000)));
    for (const auto& row : rows)
      out.push_back(DeliveryJson(row));
    return Status::Ok();
  }));
  if (!found) return NoSuchWebhook(id);
  return out;
}

Result<Json> Service::TestWebhook(const Principal& caller, std::string_view id) {
  std::optional<store::WebhookRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::GetWebhook(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (!row) return NoSuchWebhook(id);
  PACTUM_ASSIGN_OR_RETURN(webhooks::Message message, webhooks::TestMessage(row->id, *clock_));
  webhooks::SendOptions options;
  {
    std::lock_guard lock(webhook_mu_);
    options = {webhook_options_.timeout, webhook_options_.connect_timeout};
  }
  const webhooks::Attempt attempt =
      webhooks::Send(row->url, message, row->secret, clock_->Now(), options);
  return Json{{"webhook", row->id},
              {"message_id", message.id},
              {"delivered", attempt.delivered()},
              {"status", attempt.status},
              {"latency_ms", attempt.latency.count()},
              {"error", attempt.error.empty() ? Json() : Json(attempt.error)},
              {"response", attempt.response}};
}

Status Service::StartWebhookDelivery(const WebhookDeliveryOptions& options) {
  if (options.retry_base.count() <= 0 || options.disable_after < 1 || options.concurrency < 1 ||
      options.give_up_after < 1 || options.poll_interval.count() <= 0)
    return InvalidArgument(
        "webhook delivery needs a positive retry base, disable threshold, concurrency, give-up "
        "count and poll interval");
  std::lock_guard lock(webhook_mu_);
  if (webhook_dispatcher_) return FailedPrecondition("webhook delivery runs already");
  webhook_options_ = options;
  webhook_dispatcher_ = std::make_shared<WebhookDispatcher>(*store_, *clock_, options);
  return Status::Ok();
}

void Service::StopWebhookDelivery() {
  std::shared_ptr<WebhookDispatcher> stopping;
  {
    std::lock_guard lock(webhook_mu_);
    stopping.swap(webhook_dispatcher_);
  }
  // Joined outside the lock, so a commit waking delivery meanwhile does not wait for it.
}

void Service::WakeWebhookDelivery() {
  std::lock_guard lock(webhook_mu_);
  if (webhook_dispatcher_) webhook_dispatcher_->Wake();
}

}  // namespace pactum::service
