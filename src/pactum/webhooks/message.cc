#include "pactum/webhooks/message.h"

#include "pactum/base/canonical_json.h"
#include "pactum/base/id.h"

namespace pactum::webhooks {
namespace {

Status BadEntry(std::size_t i, const std::string& why) {
  const std::string field = "events[" + std::to_string(i) + "]";
  return InvalidArgument(field + ": " + why, {{"field", field}});
}

bool IsPrefixOfSomeType(std::string_view prefix) {  // prefix ends with '.'
  for (const std::string& type : EventTypes())
    if (type.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

}  // namespace

const std::vector<std::string>& EventTypes() {
  static const std::vector<std::string> kTypes = {
      "score.changed",
      "tier.changed",
      "score.diverged",
      "trust.drift_detected",
      "pact.breached",
      "consequence.applied",
      "agent.fingerprint_changed",
      "pact.published",
      "decision.escalated",
      "review.resolved",
      "review.overdue",
  };
  return kTypes;
}

Result<std::vector<std::string>> ParseEventFilter(const Json& events) {
  if (!events.is_array() || events.empty())
    return InvalidArgument(
        "events: required, a non-empty array of event types (\"*\" for all, \"review.*\" for a "
        "family)",
        {{"field", "events"}});
  std::vector<std::string> filter;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].is_string()) return BadEntry(i, "must be a string");
    std::string entry = events[i].get<std::string>();
    bool known = entry == "*";
    if (!known && entry.size() > 2 && entry.ends_with(".*"))
      known = IsPrefixOfSomeType(std::string_view(entry).substr(0, entry.size() - 1));
    for (const std::string& type : EventTypes())
      known = known || entry == type;
    if (!known) return BadEntry(i, "unknown event type \"" + entry + "\" (see docs/WEBHOOKS.md)");
    filter.push_back(std::move(entry));
  }
  return filter;
}

bool FilterMatches(const std::vector<std::string>& filter, std::string_view type) {
  for (const std::string& entry : filter) {
    if (entry == "*" || entry == type) return true;
    if (entry.ends_with(".*") &&
        type.substr(0, entry.size() - 1) == std::string_view(entry).substr(0, entry.size() - 1))
      return true;
  }
  return false;
}

Result<Message> EventMessage(const Json& event) {
  for (const char* field : {"id", "type", "time"})
    if (!event.is_object() || !event.contains(field) || !event[field].is_string())
      return InvalidArgument(std::string("the event has no ") + field, {{"field", field}});
  Message message;
  message.id = event["id"].get<std::string>();
  message.type = event["type"].get<std::string>();
  const Json body = {{"type", message.type}, {"timestamp", event["time"]}, {"data", event}};
  PACTUM_ASSIGN_OR_RETURN(message.body, CanonicalJson(body));
  return message;
}

Result<Message> TestMessage(std::string_view webhook_id, const Clock& clock) {
  Message message;
  message.id = NewUuidV7(clock);
  message.type = std::string(kTestEventType);
  const Json body = {
      {"type", message.type},
      {"timestamp", FormatRfc3339(clock.Now())},
      {"data", {{"webhook", webhook_id}, {"message", "a test message from pactum"}}}};
  PACTUM_ASSIGN_OR_RETURN(message.body, CanonicalJson(body));
  return message;
}

}  // namespace pactum::webhooks
