// Background delivery of the webhook outbox (docs/WEBHOOKS.md). A loop thread offers each
// enabled subscription's oldest pending delivery, when due, to a fixed pool of workers; a
// worker builds the event's message from its stored row, signs and sends it, and records the
// attempt. Nothing is marked delivered before a 2xx, so a crash at any point redelivers with the
// same webhook-id and bytes (at least once). The loop sleeps until the next delivery falls due,
// at most a poll interval, and wakes when events are committed or a worker finishes.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "pactum/service/service.h"
#include "pactum/store/store.h"
#include "pactum/store/webhooks.h"

namespace pactum::service {

// An event as GET /v1/events shows it (and as a webhook message carries it in `data`).
Result<Json> EventItemJson(const store::EventRow& row);

class Service::WebhookDispatcher {
 public:
  WebhookDispatcher(store::Store& store, const Clock& clock, WebhookDeliveryOptions options);
  // Stops: no attempt starts after; those in flight finish (within the request timeout).
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void Wake();

 private:
  void Loop();
  void Work();
  void Deliver(const store::DueDelivery& due);
  // Offers due deliveries to idle workers; returns how long to sleep.
  std::chrono::milliseconds Dispatch();

  store::Store& store_;
  const Clock& clock_;
  const WebhookDeliveryOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;  // the loop
  std::condition_variable work_;  // the workers
  bool woken_ = false;
  bool stopping_ = false;
  std::set<std::string> busy_;  // subscriptions with an attempt queued or in flight
  std::deque<store::DueDelivery> queue_;
  std::mt19937_64 jitter_;
  std::vector<std::thread> workers_;
  std::thread loop_;  // last: starts after the state above exists
};

}  // namespace pactum::service
