#include "pactum/service/webhook_dispatcher.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "pactum/base/json.h"
#include "pactum/base/thread_name.h"
#include "pactum/webhooks/message.h"
#include "pactum/webhooks/retry.h"
#include "pactum/webhooks/sender.h"

namespace pactum::service {

Result<Json> EventItemJson(const store::EventRow& row) {
  PACTUM_ASSIGN_OR_RETURN(Json data, ParseJson(row.data));
  return Json{{"id", row.id},
              {"log_index", row.log_index},
              {"type", row.type},
              {"agent", row.agent_id},
              {"workflow", row.workflow},
              {"time", FormatRfc3339(FromUnixMillis(row.time))},
              {"cause_index", row.cause_index},
              {"data", std::move(data)}};
}

Service::WebhookDispatcher::WebhookDispatcher(store::Store& store, const Clock& clock,
                                              WebhookDeliveryOptions options)
    : store_(store), clock_(clock), options_(options), jitter_(std::random_device{}()) {
  const int workers = std::max(1, options_.concurrency);
  for (int i = 0; i < workers; ++i)
    workers_.emplace_back([this] {
      NameThisThread("pactum-webhook");
      Work();
    });
  loop_ = std::thread([this] {
    NameThisThread("pactum-webhooks");
    Loop();
  });
}

Service::WebhookDispatcher::~WebhookDispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  work_.notify_all();
  loop_.join();
  for (std::thread& t : workers_)
    t.join();
}

void Service::WebhookDispatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_one();
}

void Service::WebhookDispatcher::Loop() {
  while (true) {
    const std::chrono::milliseconds sleep = Dispatch();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, sleep, [this] { return woken_ || stopping_; });
    if (stopping_) return;
    woken_ = false;
  }
}

std::chrono::milliseconds Service::WebhookDispatcher::Dispatch() {
  std::vector<std::string> busy;
  std::size_t idle = 0;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return std::chrono::milliseconds(0);
    busy.assign(busy_.begin(), busy_.end());
    if (busy_.size() < workers_.size()) idle = workers_.size() - busy_.size();
  }
  const std::int64_t now = UnixMillis(clock_.Now());
  std::vector<store::DueDelivery> due;
  std::optional<std::int64_t> next;
  Status read = store_.Read([&](store::Connection& db) -> Status {
    if (idle > 0) {
      PACTUM_ASSIGN_OR_RETURN(due, store::DueDeliveries(db, now, busy, idle));
      for (const auto& d : due)
        busy.push_back(d.webhook_id);
    }
    PACTUM_ASSIGN_OR_RETURN(next, store::NextDeliveryDue(db, busy));
    return Status::Ok();
  });
  if (!read.ok()) {
    spdlog::error("webhook delivery: reading the outbox failed: {}", read.message());
    return options_.poll_interval;
  }
  if (!due.empty()) {
    {
      std::lock_guard lock(mu_);
      for (auto& d : due) {
        busy_.insert(d.webhook_id);
        queue_.push_back(std::move(d));
      }
    }
    work_.notify_all();
  }
  // Deliveries of busy subscriptions are due already; a finishing worker wakes the loop.
  if (!next || *next <= now) return options_.poll_interval;
  return std::clamp(std::chrono::milliseconds(*next - now), std::chrono::milliseconds(1),
                    options_.poll_interval);
}

void Service::WebhookDispatcher::Work() {
  while (true) {
    store::DueDelivery due;
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      due = std::move(queue_.front());
      queue_.pop_front();
    }
    Deliver(due);
    {
      std::lock_guard lock(mu_);
      busy_.erase(due.webhook_id);
      woken_ = true;
    }
    wake_.notify_one();
  }
}

void Service::WebhookDispatcher::Deliver(const store::DueDelivery& due) {
  const std::uint64_t index = due.event.log_index;
  webhooks::Attempt attempt;
  auto event = EventItemJson(due.event);
  auto message = event.ok() ? webhooks::EventMessage(*event) : event.status();
  if (message.ok()) {
    attempt = webhooks::Send(due.url, *message, due.secret, clock_.Now(),
                             {options_.timeout, options_.connect_timeout});
  } else {
    attempt.error = "the stored event does not load: " + message.status().message();
  }
  const std::int64_t now = UnixMillis(clock_.Now());
  Status recorded;
  if (attempt.delivered()) {
    recorded = store_.Write([&](store::Connection& db) {
      return store::MarkDelivered(db, due.webhook_id, index, attempt.status, now);
    });
  } else {
    double uniform = 0;
    {
      std::lock_guard lock(mu_);
      uniform = std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
    }
    const webhooks::RetryPolicy policy{options_.retry_base, options_.retry_cap};
    const auto delay = webhooks::RetryDelay(
        policy, static_cast<int>(std::min<std::int64_t>(due.consecutive_failures + 1, 1000)),
        uniform);
    store::FailedAttempt failed;
    if (attempt.status != 0) failed.http_status = attempt.status;
    failed.error = attempt.error;
    failed.next_attempt_at = now + delay.count();
    failed.give_up_after = options_.give_up_after;
    failed.disable_after = options_.disable_after;
    // 410 Gone: the receiver says it wants no more (Standard Webhooks).
    failed.disable_now = attempt.status == 410;
    bool disabled = false;
    recorded = store_.Write([&](store::Connection& db) -> Status {
      PACTUM_ASSIGN_OR_RETURN(disabled, store::MarkFailed(db, due.webhook_id, index, failed));
      return Status::Ok();
    });
    if (recorded.ok() && disabled)
      spdlog::warn("webhook {} disabled: {}", due.webhook_id, attempt.error);
  }
  if (!recorded.ok())
    spdlog::error("webhook {}: recording the attempt at event {} failed: {}", due.webhook_id, index,
                  recorded.message());
}

}  // namespace pactum::service
