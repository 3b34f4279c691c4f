// Trust packets (DESIGN §9, docs/PACKETS.md): everything a CISO asks about one agent in one
// workflow, in one document signed with the log's key, carrying inclusion proofs of the log
// leaves it cites so that it verifies offline.
#include <set>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/cedar/parser.h"
#include "pactum/crypto/statement.h"
#include "pactum/ledger/bundle.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/reviews.h"
#include "pactum/store/store.h"

namespace pactum::service {
namespace {

// The event types a packet lists (and proves): how trust moved and what it caused.
constexpr const char* kPacketEvents[] = {"score.changed",
                                         "score.diverged",
                                         "tier.changed",
                                         "pact.breached",
                                         "consequence.applied",
                                         "trust.drift_detected",
                                         "agent.fingerprint_changed"};

std::string EntityName(const cedar::EntityUid& uid) {
  return uid.id;
}

// What a policy's action scope covers, in words an auditor reads: the action ids, or "*" for
// every action, or "in <group>".
Json CoveredActions(const cedar::ScopeConstraint& scope) {
  using Kind = cedar::ScopeConstraint::Kind;
  Json actions = Json::array();
  switch (scope.kind) {
    case Kind::kAny:
      actions.push_back("*");
      break;
    case Kind::kEq:
      if (scope.target.uid) actions.push_back(EntityName(*scope.target.uid));
      break;
    case Kind::kIn:
    case Kind::kIsIn:
      if (scope.target.uid) actions.push_back("in " + EntityName(*scope.target.uid));
      break;
    case Kind::kInSet:
      for (const cedar::EntityUid& uid : scope.entities)
        actions.push_back(EntityName(uid));
      break;
    case Kind::kIs:
      actions.push_back("is " + scope.entity_type);
      break;
  }
  return actions;
}

// The controls map: each boundary policy with what it enforces.
Result<Json> ControlsMap(const pact::Pact& pact) {
  Json controls = Json::array();
  if (!pact.boundaries) return controls;
  PACTUM_ASSIGN_OR_RETURN(cedar::PolicySet set,
                          cedar::ParsePolicySet(pact.boundaries->policies.text));
  for (const cedar::Policy& policy : set.policies) {
    Json annotations = Json::object();
    for (const auto& [name, value] : policy.annotations)
      annotations[name] = value;
    Json control = {{"policy", policy.id},
                    {"effect", policy.effect == cedar::Effect::kPermit ? "permit" : "forbid"},
                    {"actions", CoveredActions(policy.action)},
                    {"conditions", policy.conditions.size()},
                    {"annotations", std::move(annotations)}};
    if (policy.effect == cedar::Effect::kPermit && policy.annotations.count("escalate"))
      control["escalates_to"] = policy.annotations.at("escalate").empty()
                                    ? pact.owner
                                    : policy.annotations.at("escalate");
    controls.push_back(std::move(control));
  }
  return controls;
}

}  // namespace

Result<Json> Service::TrustPacket(const Principal& caller, std::string_view agent_id,
                                  std::string_view workflow_name) {
  const std::string agent_name(agent_id), workflow(workflow_name);
  if (agent_name.empty()) return InvalidArgument("agent: required", {{"field", "agent"}});
  if (workflow.empty()) return InvalidArgument("workflow: required", {{"field", "workflow"}});
  PACTUM_ASSIGN_OR_RETURN(Json agent, GetAgent(caller, agent_name));
  auto covering = book_.Covering(caller.tenant_id, workflow, agent_name);
  if (!covering)
    return NotFound("workflow: no published pact covers agent \"" + agent_name +
                        "\" in workflow \"" + workflow + "\"",
                    {{"field", "workflow"}});
  const std::int64_t now = UnixMillis(clock_->Now());

  // Leaves the packet cites, each proven against one checkpoint below.
  struct Citation {
    std::string what;
    std::uint64_t index;
  };
  std::vector<Citation> cited;

  Json versions = Json::array(), pacts = Json::array(), freshness = Json::object();
  Json escalations = {{"pending", 0}, {"approved", 0}, {"denied", 0}, {"overdue", 0}};
  Json disputes = {{"total", 0}, {"upheld", 0}, {"rejected", 0}};
  const pact::Mode mode = SwitchedMode(caller.tenant_id, *covering).value_or(covering->pact.mode);
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto agent_versions,
                            store::ListAgentVersions(db, caller.tenant_id, agent_name));
    for (const store::AgentVersionRow& row : agent_versions) {
      versions.push_back({{"log_index", row.log_index},
                          {"fingerprint", row.fingerprint},
                          {"at", FormatRfc3339(FromUnixMillis(row.at))}});
      cited.push_back({"agent.version", row.log_index});
    }

    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListPacts(db, caller.tenant_id));
    for (const store::PactRow& row : rows) {
      if (row.name != covering->pact.name) continue;
      PACTUM_ASSIGN_OR_RETURN(Json body, ParseJson(row.body));
      const bool in_force = row.log_index == covering->log_index;
      pacts.push_back({{"name", row.name},
                       {"version", row.version},
                       {"workflow", row.workflow},
                       {"hash", row.hash},
                       {"mode", in_force ? std::string(pact::NameOf(mode))
                                         : body.value("mode", std::string("enforce"))},
                       {"in_force", in_force},
                       {"published_at", FormatRfc3339(FromUnixMillis(row.published_at))},
                       {"log_index", row.log_index}});
      cited.push_back({"pact.version", row.log_index});
    }

    store::EscalationFilter filter;
    filter.agent_id = agent_name;
    filter.workflow = workflow;
    PACTUM_ASSIGN_OR_RETURN(auto reviews, store::ListEscalations(db, caller.tenant_id, filter));
    for (const store::ReviewRow& review : reviews) {
      if (escalations.contains(review.status))
        escalations[review.status] = escalations[review.status].get<int>() + 1;
      if (review.status == "pending" && review.due_at < now)
        escalations["overdue"] = escalations["overdue"].get<int>() + 1;
    }

    PACTUM_ASSIGN_OR_RETURN(
        auto kinds, store::SummarizeEvidenceByKind(db, caller.tenant_id, agent_name, workflow));
    for (const store::EvidenceKindSummary& kind : kinds)
      freshness[kind.kind] = {{"newest", FormatRfc3339(FromUnixMillis(kind.newest))},
                              {"count", kind.count}};

    store::EvidenceScan dispute_resolutions;
    dispute_resolutions.agent_id = agent_name;
    dispute_resolutions.workflow = workflow;
    dispute_resolutions.kinds = {"dispute_resolution"};
    return store::ForEachEvidence(
        db, caller.tenant_id, dispute_resolutions, [&](const store::EvidenceRow& row) -> Status {
          PACTUM_ASSIGN_OR_RETURN(Json leaf, ParseJson(row.leaf_data));
          const bool upheld = leaf["body"]["evidence"]["dispute"].value("upheld", false);
          disputes["total"] = disputes["total"].get<int>() + 1;
          const char* outcome = upheld ? "upheld" : "rejected";
          disputes[outcome] = disputes[outcome].get<int>() + 1;
          return Status::Ok();
        });
  }));
  escalations["total"] = escalations["pending"].get<int>() + escalations["approved"].get<int>() +
                         escalations["denied"].get<int>();

  PACTUM_ASSIGN_OR_RETURN(Json scores, ExplainTrust(caller, agent_name, workflow));
  freshness = {{"newest_by_kind", std::move(freshness)},
               {"fingerprint", agent["fingerprint"]},
               {"capability_stale", !scores.value("fingerprint_fresh", true)}};

  Json events = Json::object();
  for (const char* type : kPacketEvents) {
    EventQuery query;
    query.agent = agent_name;
    query.workflow = workflow;
    query.type = type;
    query.limit = 1000;
    PACTUM_ASSIGN_OR_RETURN(Json listed, ListEvents(caller, query));
    for (const Json& e : listed)
      cited.push_back({e["type"].get<std::string>(), e["log_index"].get<std::uint64_t>()});
    events[type] = std::move(listed);
  }

  ScorecardQuery week;
  week.agent = agent_name;
  week.workflow = workflow;
  PACTUM_ASSIGN_OR_RETURN(Json scorecards, Scorecards(caller, week));
  PACTUM_ASSIGN_OR_RETURN(Json controls, ControlsMap(covering->pact));

  // One checkpoint for every proof: the log as it is now, which holds every cited leaf.
  PACTUM_ASSIGN_OR_RETURN(ledger::SignedCheckpoint checkpoint, ledger_->Checkpoint());
  Json proofs = Json::array();
  for (const Citation& c : cited) {
    PACTUM_ASSIGN_OR_RETURN(merkle::Proof path,
                            ledger_->InclusionPath(c.index, checkpoint.checkpoint.size));
    PACTUM_ASSIGN_OR_RETURN(ledger::StoredLeaf leaf, ledger_->Leaf(c.index));
    Json hashes = Json::array();
    for (const std::string& hash : path)
      hashes.push_back(Base64Encode(hash));
    proofs.push_back({{"cites", c.what},
                      {"index", c.index},
                      {"leaf_hash", Base64Encode(AsBytes(leaf.leaf_hash))},
                      {"proof", std::move(hashes)},
                      {"leaf", std::move(leaf.data)}});
  }

  Json predicate = {
      {"generated_at", FormatRfc3339(FromUnixMillis(now))},
      {"agent",
       {{"id", agent_name},
        {"fingerprint", agent["fingerprint"]},
        {"record", agent},
        {"versions", std::move(versions)}}},
      {"workflow", workflow},
      {"pacts", std::move(pacts)},
      {"controls", std::move(controls)},
      {"scores", std::move(scores)},
      {"score_history", events["score.changed"]},
      {"scorecard", scorecards["scorecards"].empty() ? Json(nullptr) : scorecards["scorecards"][0]},
      {"consequences",
       {{"breaches", events["pact.breached"]},
        {"applied", events["consequence.applied"]},
        {"drift", events["trust.drift_detected"]},
        {"tier_changes", events["tier.changed"]},
        {"divergences", events["score.diverged"]},
        {"fingerprint_changes", events["agent.fingerprint_changed"]}}},
      {"escalations", std::move(escalations)},
      {"disputes", std::move(disputes)},
      {"freshness", std::move(freshness)},
      {"log",
       {{"origin", checkpoint.checkpoint.origin},
        {"size", checkpoint.checkpoint.size},
        {"checkpoint", checkpoint.note},
        {"proofs", std::move(proofs)}}},
  };
  crypto::Statement statement;
  statement.subject.push_back(
      {"agent:" + agent_name, {{"sha256", agent["fingerprint"].get<std::string>()}}});
  statement.predicate_type = std::string(ledger::kTrustPacketType);
  statement.predicate = std::move(predicate);
  PACTUM_ASSIGN_OR_RETURN(crypto::DsseEnvelope envelope, ledger_->SignStatement(statement));
  return envelope.ToJson();
}

}  // namespace pactum::service
