// The loop's bookkeeping: rebuilding the trust book at open, and logging the events that
// records cause.
#include <map>

#include <spdlog/spdlog.h>

#include "pactum/base/canonical_json.h"
#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/pact/pact.h"
#include "pactum/service/service.h"
#include "pactum/service/webhook_dispatcher.h"
#include "pactum/store/records.h"
#include "pactum/store/store.h"
#include "pactum/store/tenants.h"
#include "pactum/trust/evidence.h"

namespace pactum::service {
namespace {

double Seconds(std::int64_t unix_millis) {
  return static_cast<double>(unix_millis) / 1000.0;
}

// A stored record that does not load is skipped, loudly: the server must still start, and
// `pactum log verify` says whether the record was altered.
Status SkipStoredRecord(std::uint64_t log_index, std::string_view what, const Status& why) {
  spdlog::error("log index {}: the stored {} does not load, skipped: {}", log_index, what,
                why.message());
  return Status::Ok();
}

}  // namespace

Status Service::ReplayLoop() {
  std::uint64_t last_cause = 0;
  // Events whose cause is newer than the newest logged event were lost to a crash between a
  // record's commit and its events' commit; replay regenerates them, and they are logged now.
  std::vector<LoopEvent> unlogged;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(last_cause, store::LastEventCause(db));
    return store::ForEachLoopRecord(db, [&](const store::LoopRecord& record) -> Status {
      std::vector<LoopEvent> events;
      std::uint64_t index = 0;
      switch (record.kind) {
        case store::LoopRecord::Kind::kAgentVersion:
          index = record.agent.log_index;
          book_.SetFingerprint(record.agent.tenant_id, record.agent.agent_id,
                               record.agent.fingerprint, Seconds(record.agent.at), &events);
          break;
        case store::LoopRecord::Kind::kPact: {
          index = record.pact.log_index;
          auto json = ParseJson(record.pact.body);
          if (!json.ok()) return SkipStoredRecord(index, "pact", json.status());
          auto pact = pact::FromJson(*json);
          if (!pact.ok()) return SkipStoredRecord(index, "pact", pact.status());
          book_.AddPact(record.pact.tenant_id, {std::move(*pact), record.pact.hash, index},
                        Seconds(record.pact.published_at), &events);
          break;
        }
        case store::LoopRecord::Kind::kEvidence: {
          index = record.evidence.log_index;
          // Its key is indexed even if the record no longer loads: it is stored.
          if (record.evidence.idempotency_key) {
            keys_stored_.Add(
                IdempotencyKey::HashOf(record.evidence.tenant_id, *record.evidence.idempotency_key),
                index);
          }
          // The evidence is its log leaf's body.evidence.
          auto json = ParseJson(record.evidence.leaf_data);
          if (!json.ok()) return SkipStoredRecord(index, "evidence", json.status());
          const Json* stored = nullptr;
          if (json->is_object() && json->contains("body") && (*json)["body"].is_object() &&
              (*json)["body"].contains("evidence"))
            stored = &(*json)["body"]["evidence"];
          if (stored == nullptr)
            return SkipStoredRecord(index, "evidence", Corruption("the leaf holds no evidence"));
          auto evidence = trust::EvidenceFromJson(*stored, Seconds(record.evidence.time));
          if (!evidence.ok()) return SkipStoredRecord(index, "evidence", evidence.status());
          evidence->id = record.evidence.id;
          // Evidence is checked against the book before it is stored, so this does not fail;
          // if it ever did, the live server skipped the item too.
          Status applied = book_.ApplyEvidence(record.evidence.tenant_id, *evidence, &events);
          if (!applied.ok())
            spdlog::warn("log index {}: evidence not applied: {}", index, applied.message());
          break;
        }
      }
      if (index <= last_cause) return Status::Ok();
      for (LoopEvent& e : events) {
        e.cause_index = index;
        unlogged.push_back(std::move(e));
      }
      return Status::Ok();
    });
  }));
  return LogEvents(std::move(unlogged));
}

std::unique_lock<std::mutex> Service::LockLoop() {
  std::unique_lock loop(loop_mu_);
  loop_turn_.wait(loop, [this] { return evidence_applied_ == evidence_queued_; });
  return loop;
}

Status Service::LogEvents(std::vector<LoopEvent> events) {
  PACTUM_ASSIGN_OR_RETURN(std::future<Status> logged, QueueEvents(std::move(events)));
  return logged.get();
}

Result<std::string> Service::TenantName(const std::string& tenant_id) {
  std::lock_guard lock(tenant_names_mu_);
  if (auto it = tenant_names_.find(tenant_id); it != tenant_names_.end()) return it->second;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto tenants, store::ListTenants(db));
    for (auto& t : tenants)
      tenant_names_.insert_or_assign(std::move(t.id), std::move(t.name));
    return Status::Ok();
  }));
  if (auto it = tenant_names_.find(tenant_id); it != tenant_names_.end()) return it->second;
  return Internal("events of tenant " + tenant_id + ", which the store does not hold");
}

Result<std::future<Status>> Service::QueueEvents(std::vector<LoopEvent> events) {
  std::promise<Status> logged;
  std::future<Status> answer = logged.get_future();
  if (events.empty()) {
    logged.set_value(Status::Ok());
    return answer;
  }
  std::map<std::string, std::string> tenant_names;
  for (const LoopEvent& e : events) {
    if (!tenant_names.contains(e.tenant_id)) {
      PACTUM_ASSIGN_OR_RETURN(tenant_names[e.tenant_id], TenantName(e.tenant_id));
    }
  }
  const TimePoint now = clock_->Now();
  std::vector<ledger::LeafEntry> leaves;
  leaves.reserve(events.size());
  for (LoopEvent& e : events) {
    store::EventRow row;
    row.id = NewUuidV7(*clock_);
    row.tenant_id = e.tenant_id;
    row.type = e.event.type;
    row.agent_id = e.agent_id;
    row.workflow = e.workflow;
    row.time = static_cast<std::int64_t>(e.event.time * 1000.0);
    row.cause_index = e.cause_index;
    PACTUM_ASSIGN_OR_RETURN(row.data, CanonicalJson(e.event.data));
    Json body = {{"id", row.id},
                 {"agent", row.agent_id},
                 {"workflow", row.workflow},
                 {"time", FormatRfc3339(FromUnixMillis(row.time))},
                 {"cause_index", e.cause_index},
                 {"data", std::move(e.event.data)}};
    ledger::LeafEntry leaf{row.type, tenant_names[e.tenant_id], now, std::move(body), nullptr};
    leaf.with_leaf = [row = std::move(row)](store::Connection& db,
                                            std::uint64_t index) mutable -> Status {
      row.log_index = index;
      return store::InsertEvent(db, row);
    };
    leaves.push_back(std::move(leaf));
  }
  ledger_->Enqueue(
      std::move(leaves),
      [this, logged = std::make_shared<std::promise<Status>>(std::move(logged))](auto receipts) {
        WakeWebhookDelivery();
        logged->set_value(receipts.status());
      });
  return answer;
}

Result<Json> Service::ListEvents(const Principal& caller, const EventQuery& query) {
  store::EventFilter filter{query.agent, query.workflow, query.type, query.after,
                            std::min<std::size_t>(query.limit, 1000)};
  Json out = Json::array();
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListEvents(db, caller.tenant_id, filter));
    for (const auto& row : rows) {
      PACTUM_ASSIGN_OR_RETURN(Json item, EventItemJson(row));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace pactum::service
