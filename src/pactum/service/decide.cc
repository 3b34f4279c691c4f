// Runtime decisions through the service (DESIGN §6): the live trust snapshot, the pact's
// compiled boundary, control::Decide, and a durable log receipt for every answer. Decisions do
// not take the loop's lock: concurrent decisions share the log's group commit.
#include <algorithm>
#include <cmath>
#include <future>

#include "pactum/base/canonical_json.h"
#include "pactum/base/encoding.h"
#include "pactum/base/id.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/reviews.h"

namespace pactum::service {
namespace {

Result<std::string> RequiredString(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    return FieldError(name, "required (a non-empty string)");
  return it->get<std::string>();
}

// The review a decision waits for (or was sampled for), written in its leaf's transaction,
// and for an escalation the decision.escalated event, whose record is the decision's leaf.
Result<ledger::LeafEntry::WithLeaf> ReviewWithDecision(const std::string& tenant_id,
                                                       const DecisionRecord& record,
                                                       const control::DecideRequest& request,
                                                       const pact::Pact& pact, TimePoint at) {
  const bool escalation = record.decision.review;
  store::ReviewRow review;
  review.id = record.review_id;
  review.tenant_id = tenant_id;
  review.decision_id = record.id;
  review.agent_id = request.agent;
  review.workflow = pact.workflow;
  review.action = request.action;
  review.owner = record.decision.reviewer.empty() ? pact.owner : record.decision.reviewer;
  review.kind = escalation ? "escalation" : "sample";
  review.status = "pending";
  review.created_at = UnixMillis(at);
  review.due_at = review.created_at + pact.review_sla_seconds * 1000;
  std::optional<store::EventRow> event;
  if (escalation) {
    Json reasons = Json::array();
    for (const control::Reason& r : record.decision.reasons)
      reasons.push_back({{"code", r.code}, {"message", r.message}});
    PACTUM_ASSIGN_OR_RETURN(
        std::string data,
        CanonicalJson(
            Json{{"decision_id", record.id},
                 {"review_id", review.id},
                 {"action", request.action},
                 {"resource", {{"type", request.resource.type}, {"id", request.resource.id}}},
                 {"reviewer", review.owner},
                 {"due_at", FormatRfc3339(FromUnixMillis(review.due_at))},
                 {"reasons", std::move(reasons)}}));
    event = store::EventRow{.log_index = 0,
                            .id = record.id,
                            .tenant_id = tenant_id,
                            .type = "decision.escalated",
                            .agent_id = review.agent_id,
                            .workflow = review.workflow,
                            .time = review.created_at,
                            .cause_index = 0,
                            .data = std::move(data)};
  }
  return ledger::LeafEntry::WithLeaf(
      [review = std::move(review), event = std::move(event)](
          store::Connection& db, std::uint64_t index) mutable -> Status {
        review.decision_index = index;
        PACTUM_TRY(store::InsertReview(db, review));
        if (!event) return Status::Ok();
        event->log_index = event->cause_index = index;
        return store::InsertEvent(db, *event);
      });
}

}  // namespace

Result<control::DecideRequest> DecideRequestFromJson(const Json& body) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    static const char* kKnown[] = {"agent",    "workflow", "action",
                                   "resource", "context",  "confidence"};
    if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown))
      return FieldError(it.key(), "unknown field");
  }
  control::DecideRequest request;
  PACTUM_ASSIGN_OR_RETURN(request.agent, RequiredString(body, "agent"));
  PACTUM_ASSIGN_OR_RETURN(request.workflow, RequiredString(body, "workflow"));
  PACTUM_ASSIGN_OR_RETURN(request.action, RequiredString(body, "action"));
  auto resource = body.find("resource");
  if (resource == body.end() || !resource->is_object())
    return FieldError("resource", "required: {\"type\", \"id\", \"attrs\"}");
  for (auto it = resource->begin(); it != resource->end(); ++it) {
    if (it.key() != "type" && it.key() != "id" && it.key() != "attrs")
      return FieldError("resource." + it.key(), "unknown field");
  }
  PACTUM_ASSIGN_OR_RETURN(request.resource.type, RequiredString(*resource, "type"));
  PACTUM_ASSIGN_OR_RETURN(request.resource.id, RequiredString(*resource, "id"));
  if (auto attrs = resource->find("attrs"); attrs != resource->end()) {
    if (!attrs->is_object()) return FieldError("resource.attrs", "must be an object");
    request.resource.attrs = *attrs;
  }
  if (auto context = body.find("context"); context != body.end()) {
    if (!context->is_object()) return FieldError("context", "must be an object");
    request.context = *context;
  }
  if (auto confidence = body.find("confidence"); confidence != body.end()) {
    if (!confidence->is_number() || !std::isfinite(confidence->get<double>()) ||
        confidence->get<double>() < 0 || confidence->get<double>() > 1)
      return FieldError("confidence", "must be a number in [0, 1]");
    request.confidence = confidence->get<double>();
  }
  return request;
}

Result<std::shared_ptr<const control::Boundary>> Service::BoundaryOf(const PublishedPact& pact) {
  std::lock_guard lock(boundaries_mu_);
  auto it = boundaries_.find(pact.hash);
  if (it != boundaries_.end()) return it->second;
  PACTUM_ASSIGN_OR_RETURN(control::Boundary compiled, control::Boundary::Compile(pact.pact));
  auto shared = std::make_shared<const control::Boundary>(std::move(compiled));
  boundaries_.emplace(pact.hash, shared);
  return shared;
}

Result<std::vector<Result<DecisionRecord>>> Service::Decide(
    const Principal& caller, const std::vector<control::DecideRequest>& requests) {
  std::promise<Result<std::vector<Result<DecisionRecord>>>> answered;
  auto answer = answered.get_future();
  Decide(caller, requests, [&answered](Result<std::vector<Result<DecisionRecord>>> decided) {
    answered.set_value(std::move(decided));
  });
  return answer.get();
}

void Service::Decide(const Principal& caller, std::vector<control::DecideRequest> requests,
                     DecisionsDone done) {
  if (requests.empty()) return done(InvalidArgument("no decisions asked for"));
  if (requests.size() > 1000) return done(ResourceExhausted("at most 1000 decisions a request"));
  const double now = static_cast<double>(UnixMillis(clock_->Now())) / 1000.0;
  // Shared with the log: its sequencer writes each leaf's body from these (before the commit),
  // and the answer hands the records on (after it).
  struct Decided {
    std::vector<control::DecideRequest> requests;
    std::vector<Result<DecisionRecord>> out;
  };
  auto decided = std::make_shared<Decided>();
  decided->requests = std::move(requests);
  std::vector<Result<DecisionRecord>>& out = decided->out;
  out.reserve(decided->requests.size());
  std::vector<ledger::LeafEntry> leaves;
  std::vector<std::size_t> leaf_of;  // out index of each leaf
  for (std::size_t i = 0; i < decided->requests.size(); ++i) {
    const control::DecideRequest& request = decided->requests[i];
    if (!book_.Fingerprint(caller.tenant_id, request.agent)) {
      out.emplace_back(NotFound("agent: no agent \"" + request.agent + "\" is registered",
                                {{"field", "agent"}}));
      continue;
    }
    auto pact = book_.Covering(caller.tenant_id, request.workflow, request.agent);
    if (!pact) {
      out.emplace_back(NotFound("workflow: no published pact covers agent \"" + request.agent +
                                    "\" in workflow \"" + request.workflow + "\"",
                                {{"field", "workflow"}}));
      continue;
    }
    DecisionRecord record;
    record.pact = Json::object();  // member by member: initializer lists copy what they build
    record.pact["name"] = pact->pact.name;
    record.pact["version"] = pact->pact.version;
    record.pact["hash"] = pact->hash;
    auto snapshot = book_.Snapshot(caller.tenant_id, request.agent, request.workflow, now);
    auto boundary = BoundaryOf(*pact);
    if (!snapshot.ok() || !boundary.ok()) {
      // Fail closed: what cannot be evaluated is not allowed.
      record.decision.kind = control::Kind::kDeny;
      record.decision.reasons.push_back(
          {"internal",
           "the decision could not be evaluated: " +
               (!snapshot.ok() ? snapshot.status().message() : boundary.status().message()),
           ""});
    } else {
      auto decision = control::Decide(**boundary, pact->pact, *snapshot, request, sampler_,
                                      SwitchedMode(caller.tenant_id, *pact));
      if (!decision.ok()) {
        out.emplace_back(decision.status());
        continue;
      }
      record.decision = std::move(*decision);
    }
    record.id = NewUuidV7(*clock_);
    const TimePoint at = clock_->Now();
    ledger::LeafEntry::WithLeaf with_review;
    if (record.decision.review || record.decision.sampled_for_review) {
      record.review_id = NewUuidV7(*clock_);
      auto review = ReviewWithDecision(caller.tenant_id, record, request, pact->pact, at);
      if (!review.ok()) {
        out.emplace_back(review.status());
        continue;
      }
      with_review = std::move(*review);
    }
    ledger::LeafEntry& leaf =
        leaves.emplace_back("decision", caller.tenant_name, at, Json(), std::move(with_review));
    leaf.render_body = [decided, i, k = out.size()] {
      return DecisionLeafBody(*decided->out[k], decided->requests[i]);
    };
    leaf_of.push_back(out.size());
    out.emplace_back(std::move(record));
  }
  if (leaves.empty()) return done(std::move(out));
  // Answered once the leaves are durable, on the log's thread: quick work only.
  ledger_->Enqueue(std::move(leaves), [decided, leaf_of = std::move(leaf_of),
                                       done = std::move(done)](
                                          Result<std::vector<ledger::Receipt>> receipts) mutable {
    std::vector<Result<DecisionRecord>>& answers = decided->out;
    for (std::size_t j = 0; j < leaf_of.size(); ++j) {
      DecisionRecord& record = *answers[leaf_of[j]];
      if (receipts.ok()) {
        record.receipt = (*receipts)[j];
        continue;
      }
      // An answer without a durable receipt never allows (DESIGN §13: fail closed).
      record.review_id.clear();  // not recorded either
      if (record.decision.kind != control::Kind::kDeny) {
        record.decision.kind = control::Kind::kDeny;
        record.decision.review = false;
        record.decision.sampled_for_review = false;
        record.decision.shadow_decision.reset();
      }
      record.decision.reasons.push_back(
          {"internal", "the decision could not be recorded: " + receipts.status().message(), ""});
    }
    done(std::move(answers));
  });
}

namespace {

// The decision's members in canonical (byte) order, the writer refusing any other: the
// request's (agent, workflow, action, resource, context) when `request` is given, as the leaf
// has them; the receipt when `with_receipt`, as the answer has it.
Result<std::string> WriteDecision(const DecisionRecord& record,
                                  const control::DecideRequest* request, bool with_receipt) {
  const control::Decision& d = record.decision;
  const control::TrustUsed& t = d.trust;
  CanonicalWriter w;
  auto score = [&w](int value, int lower_bound, bool measured) {
    w.BeginObject().Name("lower_bound").Int(lower_bound).Name("measured").Bool(measured);
    w.Name("value").Int(value).EndObject();
  };
  w.BeginObject();
  if (request) {
    w.Name("action").String(request->action);
    w.Name("agent").String(request->agent);
    w.Name("context").Value(request->context);
  }
  w.Name("decision").String(control::NameOf(d.kind));
  w.Name("determining_policies").BeginArray();
  for (const std::string& policy : d.determining_policies)
    w.String(policy);
  w.EndArray();
  w.Name("errors").BeginArray();
  for (const cedar::PolicyError& e : d.errors)
    w.BeginObject()
        .Name("message")
        .String(e.message)
        .Name("policy")
        .String(e.policy_id)
        .EndObject();
  w.EndArray();
  w.Name("id").String(record.id);
  w.Name("pact").Value(record.pact);
  w.Name("reasons").BeginArray();
  for (const control::Reason& r : d.reasons) {
    w.BeginObject().Name("code").String(r.code).Name("message").String(r.message);
    if (!r.policy.empty()) w.Name("policy").String(r.policy);
    w.EndObject();
  }
  w.EndArray();
  if (with_receipt) {
    w.Name("receipt");
    if (record.receipt) {
      w.BeginObject().Name("leaf_hash").String(Base64Encode(AsBytes(record.receipt->leaf_hash)));
      w.Name("log_index").Int(static_cast<std::int64_t>(record.receipt->index)).EndObject();
    } else {
      w.Value(Json());
    }
  }
  if (request) {
    w.Name("resource").BeginObject();
    w.Name("id").String(request->resource.id).Name("type").String(request->resource.type);
    w.EndObject();
  }
  w.Name("review").Bool(d.review);
  if (!record.review_id.empty()) w.Name("review_id").String(record.review_id);
  if (!d.reviewer.empty()) w.Name("reviewer").String(d.reviewer);
  w.Name("sampled_for_review").Bool(d.sampled_for_review);
  if (d.shadow_decision) w.Name("shadow_decision").String(control::NameOf(*d.shadow_decision));
  w.Name("trust").BeginObject();
  w.Name("autonomy").String(pact::NameOf(t.autonomy));
  w.Name("capability");
  score(t.capability, t.capability_lb, t.capability_measured);
  w.Name("drifting").Bool(t.drifting);
  w.Name("fingerprint_fresh").Bool(t.fingerprint_fresh);
  w.Name("reputation");
  score(t.reputation, t.reputation_lb, t.reputation_measured);
  w.Name("tier").String(pact::NameOf(t.tier));
  w.EndObject();
  if (request) w.Name("workflow").String(request->workflow);
  w.EndObject();
  return std::move(w).Finish();
}

}  // namespace

Result<std::string> DecisionLeafBody(const DecisionRecord& record,
                                     const control::DecideRequest& request) {
  return WriteDecision(record, &request, /*with_receipt=*/false);
}

Result<std::string> DecisionAnswer(const DecisionRecord& record) {
  return WriteDecision(record, nullptr, /*with_receipt=*/true);
}

}  // namespace pactum::service
