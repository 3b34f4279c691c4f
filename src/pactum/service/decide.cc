// Runtime decisions through the service (DESIGN §6): the live trust snapshot, the pact's
// compiled boundary, control::Decide, and a durable log receipt for every answer. Decisions do
// not take the loop's lock: concurrent decisions share the log's group commit.
#include <algorithm>
#include <cmath>

#include "pactum/base/encoding.h"
#include "pactum/base/id.h"
#include "pactum/service/service.h"

namespace pactum::service {
namespace {

Status FieldError(const std::string& field, const std::string& message) {
  return InvalidArgument(field + ": " + message, {{"field", field}});
}

Result<std::string> RequiredString(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    return FieldError(name, "required (a non-empty string)");
  return it->get<std::string>();
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
  if (requests.empty()) return InvalidArgument("no decisions asked for");
  if (requests.size() > 1000) return ResourceExhausted("at most 1000 decisions a request");
  const double now = static_cast<double>(UnixMillis(clock_->Now())) / 1000.0;
  std::vector<Result<DecisionRecord>> out;
  std::vector<ledger::LeafEntry> leaves;
  std::vector<std::size_t> leaf_of;  // out index of each leaf
  for (const control::DecideRequest& request : requests) {
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
    record.pact = {
        {"name", pact->pact.name}, {"version", pact->pact.version}, {"hash", pact->hash}};
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
      auto decision = control::Decide(**boundary, pact->pact, *snapshot, request, sampler_);
      if (!decision.ok()) {
        out.emplace_back(decision.status());
        continue;
      }
      record.decision = std::move(*decision);
    }
    record.id = NewUuidV7(*clock_);
    Json body = control::ToJson(record.decision);
    body["id"] = record.id;
    body["agent"] = request.agent;
    body["workflow"] = request.workflow;
    body["action"] = request.action;
    body["resource"] = {{"type", request.resource.type}, {"id", request.resource.id}};
    body["context"] = request.context;
    body["pact"] = record.pact;
    leaves.emplace_back("decision", caller.tenant_name, clock_->Now(), std::move(body));
    leaf_of.push_back(out.size());
    out.emplace_back(std::move(record));
  }
  if (!leaves.empty()) {
    auto receipts = ledger_->AppendBatch(leaves);
    for (std::size_t j = 0; j < leaf_of.size(); ++j) {
      DecisionRecord& record = *out[leaf_of[j]];
      if (receipts.ok()) {
        record.receipt = (*receipts)[j];
        continue;
      }
      // An answer without a durable receipt never allows (DESIGN §13: fail closed).
      if (record.decision.kind != control::Kind::kDeny) {
        record.decision.kind = control::Kind::kDeny;
        record.decision.review = false;
        record.decision.sampled_for_review = false;
        record.decision.shadow_decision.reset();
      }
      record.decision.reasons.push_back(
          {"internal", "the decision could not be recorded: " + receipts.status().message(), ""});
    }
  }
  return out;
}

Json DecisionRecordJson(const DecisionRecord& record) {
  Json out = control::ToJson(record.decision);
  out["id"] = record.id;
  out["pact"] = record.pact;
  if (record.receipt) {
    out["receipt"] = {{"log_index", record.receipt->index},
                      {"leaf_hash", Base64Encode(AsBytes(record.receipt->leaf_hash))}};
  } else {
    out["receipt"] = nullptr;
  }
  return out;
}

}  // namespace pactum::service
