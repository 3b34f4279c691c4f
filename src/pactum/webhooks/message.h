// What a subscription receives: the event types it may ask for, and the message body of one
// event in the Standard Webhooks form {"type", "timestamp", "data"}.
//
// The body of an event is a pure function of its stored row (canonical JSON, RFC 8785), and its
// webhook-id is the event's id: every retry and every duplicate after a crash carries the same
// id and the same bytes, so a receiver deduplicates on webhook-id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/base/status.h"

namespace pactum::webhooks {

// The event types of the trust loop and reviews, in docs/WEBHOOKS.md order.
const std::vector<std::string>& EventTypes();

// The type of the message `pactum webhooks test` sends; no subscription filter selects it.
inline constexpr std::string_view kTestEventType = "webhook.test";

// A subscription's filter from its JSON form: a non-empty array of event types, "*" (all), or
// prefixes ending in ".*" ("review.*") that match at least one type. Errors name `events` or
// the entry at fault (`events[2]`).
Result<std::vector<std::string>> ParseEventFilter(const Json& events);

// True if the filter selects `type`; the same rule as the events_to_webhooks trigger.
bool FilterMatches(const std::vector<std::string>& filter, std::string_view type);

struct Message {
  std::string id;    // webhook-id
  std::string type;  // the event type
  std::string body;  // the exact bytes sent and signed
};

// The message of an event as GET /v1/events shows it (needs "id", "type" and "time").
Result<Message> EventMessage(const Json& event);

// A message that proves a subscription works, with a fresh id; `data` names the subscription.
Result<Message> TestMessage(std::string_view webhook_id, const Clock& clock);

}  // namespace pactum::webhooks
