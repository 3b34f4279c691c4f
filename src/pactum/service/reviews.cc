// Reviews and the shadow/enforce switch (DESIGN §6): the queue of escalated and sampled
// decisions, their resolution as evidence about the agent, deadlines, and admin mode switches.
#include "pactum/store/reviews.h"

#include <map>

#include "pactum/base/canonical_json.h"
#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/store.h"
#include "pactum/store/tenants.h"

namespace pactum::service {
namespace {

constexpr std::size_t kMaxNote = 4096;
// Overdue reviews announced per sweep; the next sweep takes the rest.
constexpr std::size_t kOverduePerSweep = 500;

std::string Time(std::int64_t unix_millis) {
  return FormatRfc3339(FromUnixMillis(unix_millis));
}

Json ReviewJson(const store::ReviewRow& row, std::int64_t now) {
  Json out{{"id", row.id},
           {"decision_id", row.decision_id},
           {"decision_index", row.decision_index},
           {"agent", row.agent_id},
           {"workflow", row.workflow},
           {"action", row.action},
           {"owner", row.owner},
           {"kind", row.kind},
           {"status", row.status},
           {"created_at", Time(row.created_at)},
           {"due_at", Time(row.due_at)},
           {"overdue", row.status == "pending" && row.due_at <= now}};
  if (row.resolved_at) {
    out["resolved_at"] = Time(*row.resolved_at);
    out["resolved_by"] = row.resolved_by;
    out["note"] = row.note;
  }
  if (row.resolution_index) out["resolution_index"] = *row.resolution_index;
  if (row.overdue_index) out["overdue_index"] = *row.overdue_index;
  return out;
}

// An event whose record is the leaf it is written with (decision.escalated, review.resolved,
// review.overdue): log_index is that leaf's, set in the leaf's transaction.
Result<store::EventRow> ReviewEvent(const store::ReviewRow& review, std::string type,
                                    std::int64_t at, const Json& data, const Clock& clock) {
  store::EventRow row;
  row.id = NewUuidV7(clock);
  row.tenant_id = review.tenant_id;
  row.type = std::move(type);
  row.agent_id = review.agent_id;
  row.workflow = review.workflow;
  row.time = at;
  PACTUM_ASSIGN_OR_RETURN(row.data, CanonicalJson(data));
  return row;
}

}  // namespace

Result<Json> Service::ListReviews(const Principal& caller, const ReviewQuery& query) {
  if (query.status && *query.status != "pending" && *query.status != "approved" &&
      *query.status != "denied" && *query.status != "overdue")
    return InvalidArgument("status: must be pending, approved, denied or overdue",
                           {{"field", "status"}});
  const std::int64_t now = UnixMillis(clock_->Now());
  store::ReviewFilter filter{query.owner,  query.agent, query.workflow,
                             query.status, now,         std::min<std::size_t>(query.limit, 1000)};
  Json out = Json::array();
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListReviews(db, caller.tenant_id, filter));
    for (const auto& row : rows)
      out.push_back(ReviewJson(row, now));
    return Status::Ok();
  }));
  return out;
}

Result<Json> Service::GetReview(const Principal& caller, std::string_view id) {
  std::optional<store::ReviewRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::FindReview(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (!row) return NotFound("no review \"" + std::string(id) + "\"", {{"field", "id"}});
  Json out = ReviewJson(*row, UnixMillis(clock_->Now()));
  PACTUM_ASSIGN_OR_RETURN(ledger::StoredLeaf leaf, ledger_->Leaf(row->decision_index));
  PACTUM_ASSIGN_OR_RETURN(Json decision, ParseJson(leaf.data));
  out["decision"] = std::move(decision["body"]);
  return out;
}

Result<Json> Service::ResolveReview(const Principal& caller, std::string_view id, bool approve,
                                    const std::string& note) {
  if (note.size() > kMaxNote)
    return InvalidArgument("note: at most " + std::to_string(kMaxNote) + " bytes",
                           {{"field", "note"}});
  std::lock_guard lock(reviews_mu_);
  std::optional<store::ReviewRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::FindReview(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (!row) return NotFound("no review \"" + std::string(id) + "\"", {{"field", "id"}});
  if (row->status != "pending")
    return Conflict("review " + row->id + " was already " + row->status + " by " +
                        row->resolved_by + " at " + Time(row->resolved_at.value_or(0)),
                    {{"status", row->status}});

  const std::string outcome = approve ? "approve" : "deny";
  const std::string status = approve ? "approved" : "denied";
  const std::int64_t at = UnixMillis(clock_->Now());
  store::ReviewRow resolved = *row;
  resolved.status = status;
  resolved.resolved_at = at;
  resolved.resolved_by = caller.key_name;
  resolved.note = note;
  PACTUM_ASSIGN_OR_RETURN(store::EventRow event, ReviewEvent(*row, "review.resolved", at,
                                                             {{"review_id", row->id},
                                                              {"decision_id", row->decision_id},
                                                              {"kind", row->kind},
                                                              {"action", row->action},
                                                              {"owner", row->owner},
                                                              {"decision", outcome},
                                                              {"note", note},
                                                              {"resolved_by", caller.key_name}},
                                                             *clock_));
  // The resolution is evidence about the agent's judgement; the idempotency key makes it count
  // once even if this call is retried after a lost answer.
  std::vector<EvidenceSubmission> items;
  items.push_back({Json{{"kind", "review_resolution"},
                        {"agent", row->agent_id},
                        {"workflow", row->workflow},
                        {"subject", row->decision_id},
                        {"review", {{"decision", outcome}, {"review_id", row->id}}}},
                   "review:" + row->id, ""});
  std::vector<ledger::LeafEntry::WithLeaf> also;
  also.emplace_back([&resolved, &event](store::Connection& db, std::uint64_t index) -> Status {
    PACTUM_TRY(store::ResolveReview(db, resolved.id, resolved.status, *resolved.resolved_at,
                                    resolved.resolved_by, resolved.note, index));
    event.log_index = event.cause_index = index;
    return store::InsertEvent(db, event);
  });
  PACTUM_ASSIGN_OR_RETURN(auto receipts, SubmitEvidence(caller, std::move(items), std::move(also)));
  resolved.resolution_index = receipts.front().log_index;
  review_waits_->Resolved(resolved.id);
  Json out = ReviewJson(resolved, at);
  out["evidence_id"] = receipts.front().id;
  out["events"] = receipts.front().events;
  return out;
}

void Service::AwaitReview(const Principal& caller, std::string_view id,
                          std::chrono::milliseconds wait, std::function<void(Result<Json>)> done) {
  auto settled = [this, caller, id = std::string(id)] {
    auto review = GetReview(caller, id);
    return !review.ok() || (*review)["status"] != "pending";
  };
  auto answer = [this, caller, id = std::string(id), done = std::move(done)] {
    done(GetReview(caller, id));
  };
  review_waits_->Wait(std::string(id), ReviewWaits::Clock::now() + wait, std::move(settled),
                      std::move(answer));
}

void Service::ReleaseReviewWaits() {
  review_waits_->ReleaseAll();
}

Status Service::AnnounceOverdueReviews() {
  std::lock_guard lock(reviews_mu_);
  const std::int64_t now = UnixMillis(clock_->Now());
  std::vector<store::ReviewRow> due;
  std::map<std::string, std::string> tenant_names;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(due, store::OverdueUnannounced(db, now, kOverduePerSweep));
    if (due.empty()) return Status::Ok();
    PACTUM_ASSIGN_OR_RETURN(auto tenants, store::ListTenants(db));
    for (auto& t : tenants)
      tenant_names[t.id] = t.name;
    return Status::Ok();
  }));
  if (due.empty()) return Status::Ok();
  std::vector<ledger::LeafEntry> leaves;
  for (const store::ReviewRow& review : due) {
    Json data{{"review_id", review.id},
              {"decision_id", review.decision_id},
              {"kind", review.kind},
              {"action", review.action},
              {"owner", review.owner},
              {"due_at", Time(review.due_at)},
              {"created_at", Time(review.created_at)}};
    PACTUM_ASSIGN_OR_RETURN(store::EventRow event,
                            ReviewEvent(review, "review.overdue", now, data, *clock_));
    event.cause_index = review.decision_index;
    Json body{{"id", event.id},
              {"agent", event.agent_id},
              {"workflow", event.workflow},
              {"time", Time(now)},
              {"cause_index", review.decision_index},
              {"data", std::move(data)}};
    leaves.emplace_back("review.overdue", tenant_names[review.tenant_id], FromUnixMillis(now),
                        std::move(body),
                        [id = review.id, event = std::move(event)](
                            store::Connection& db, std::uint64_t index) mutable -> Status {
                          PACTUM_TRY(store::MarkOverdue(db, id, index));
                          event.log_index = index;
                          return store::InsertEvent(db, event);
                        });
  }
  return ledger_->AppendBatch(leaves).status();
}

std::optional<pact::Mode> Service::SwitchedMode(const std::string& tenant_id,
                                                const PublishedPact& pact) const {
  std::shared_lock lock(modes_mu_);
  auto it = modes_.find({tenant_id, pact.pact.name});
  if (it == modes_.end() || it->second.log_index < pact.log_index) return std::nullopt;
  return it->second.mode;
}

Status Service::LoadPactModes() {
  std::vector<store::PactModeRow> rows;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(rows, store::ListPactModes(db));
    return Status::Ok();
  }));
  std::unique_lock lock(modes_mu_);
  for (const auto& row : rows) {
    auto mode = pact::ParseMode(row.mode);
    if (!mode)
      return Corruption("pact_modes row " + std::to_string(row.log_index) + ": mode \"" + row.mode +
                        "\"");
    modes_[{row.tenant_id, row.pact_name}] = {*mode, row.log_index};
  }
  return Status::Ok();
}

Result<Json> Service::SetPactMode(const Principal& caller, std::string_view pact_name,
                                  pact::Mode mode) {
  std::optional<store::PactRow> newest;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(newest, store::FindPact(db, caller.tenant_id, pact_name, {}));
    return Status::Ok();
  }));
  if (!newest)
    return NotFound("no pact \"" + std::string(pact_name) + "\" is published", {{"field", "name"}});
  // Switches and publications one at a time, so the in-memory order is the log order.
  auto loop = LockLoop();
  const TimePoint at = clock_->Now();
  store::PactModeRow row{0,
                         caller.tenant_id,
                         std::string(pact_name),
                         std::string(pact::NameOf(mode)),
                         caller.key_id,
                         UnixMillis(at)};
  ledger::LeafEntry leaf("pact.mode", caller.tenant_name, at,
                         {{"pact", pact_name},
                          {"version", newest->version},
                          {"mode", pact::NameOf(mode)},
                          {"set_by", caller.key_name}},
                         [&row](store::Connection& db, std::uint64_t index) -> Status {
                           row.log_index = index;
                           return store::InsertPactMode(db, row);
                         });
  PACTUM_ASSIGN_OR_RETURN(ledger::Receipt receipt, ledger_->Append(leaf));
  {
    std::unique_lock lock(modes_mu_);
    modes_[{caller.tenant_id, row.pact_name}] = {mode, receipt.index};
  }
  return Json{{"pact", pact_name},
              {"version", newest->version},
              {"mode", pact::NameOf(mode)},
              {"set_by", caller.key_name},
              {"log_index", receipt.index}};
}

}  // namespace pactum::service
