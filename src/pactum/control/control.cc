#include "pactum/control/control.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <unordered_map>
#include <utility>

#include "pactum/base/digest.h"
#include "pactum/base/json.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::control {
namespace {

constexpr const char* kAgentType = "Agent";
constexpr const char* kActionType = "Action";
constexpr const char* kConfidence = "confidence";

// SplitMix64: tiny state, good enough spread for sampling decisions.
std::uint64_t NextRandom(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool SampleWith(std::uint64_t& state, double rate) {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  const double u = static_cast<double>(NextRandom(state) >> 11) * 0x1.0p-53;
  return u < rate;
}

std::string Quoted(std::string_view type, std::string_view id) {
  return std::string(type) + "::\"" + cedar::EscapeString(id) + "\"";
}

// The schema checker names nested values as `context attribute `input` attribute `host``; an
// analyst reads paths, so the part before the message becomes `context.input.host`.
Status AsPath(const Status& s) {
  static constexpr std::string_view kAttr = " attribute `";
  const std::string& message = s.message();
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    if (message.compare(i, kAttr.size(), kAttr) == 0) {
      const std::size_t name = i + kAttr.size();
      const std::size_t close = message.find('`', name);
      if (close == std::string::npos) break;
      out += '.';
      out.append(message, name, close - name);
      i = close + 1;
      continue;
    }
    if (message.compare(i, 2, ": ") == 0) break;
    out += message[i++];
  }
  out.append(message, i, std::string::npos);
  return Status(s.code(), std::move(out), s.details());
}

// A Cedar record from a JSON object in Cedar's entity value format.
Result<cedar::Record> RecordFromJson(const Json& json, const std::string& where) {
  cedar::Record record;
  if (json.is_null()) return record;
  if (!json.is_object()) return InvalidArgument(where + ": expected a JSON object");
  for (const auto& [key, value] : json.items()) {
    PACTUM_ASSIGN_OR_RETURN(cedar::Value v, cedar::ValueFromJson(value, where + "." + key, 1));
    record.emplace(key, std::move(v));
  }
  return record;
}

std::string TwoDecimals(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string TrustSummary(const TrustUsed& t) {
  std::string s = "tier " + std::string(pact::NameOf(t.tier)) + " (capability lower bound " +
                  (t.capability_measured ? std::to_string(t.capability_lb) : "unmeasured") +
                  ", reputation lower bound " +
                  (t.reputation_measured ? std::to_string(t.reputation_lb) : "unmeasured") + ")";
  if (t.drifting) s += ", drifting";
  if (!t.fingerprint_fresh) s += ", capability evidence stale after a fingerprint change";
  return s;
}

TrustUsed Used(const trust::TrustSnapshot& snapshot) {
  TrustUsed t;
  t.tier = snapshot.tier;
  t.autonomy = snapshot.autonomy;
  t.capability = snapshot.capability.value;
  t.capability_lb = snapshot.capability.lower_bound;
  t.capability_measured = snapshot.capability.measured;
  t.reputation = snapshot.reputation.value;
  t.reputation_lb = snapshot.reputation.lower_bound;
  t.reputation_measured = snapshot.reputation.measured;
  t.drifting = snapshot.drifting;
  t.fingerprint_fresh = snapshot.fingerprint_fresh;
  return t;
}

// Built member by member: nlohmann's nested initializer lists copy every level they build, which
// made this the most expensive part of a decision's answer.
Json ScoreJson(int value, int lower_bound, bool measured) {
  Json out = Json::object();
  out["value"] = value;
  out["lower_bound"] = lower_bound;
  out["measured"] = measured;
  return out;
}

}  // namespace

bool SeededSampler::Sample(double rate) {
  return SampleWith(state_, rate);
}

bool FastSampler::Sample(double rate) {
  thread_local std::uint64_t state = [] {
    std::uint64_t seed = 0;
    Result<std::string> bytes = SecureRandomBytes(sizeof seed);
    if (bytes.ok()) {
      std::memcpy(&seed, bytes->data(), sizeof seed);
    } else {
      // No OS randomness: still a distinct stream per thread; sampling needs spread, not secrecy.
      seed = reinterpret_cast<std::uintptr_t>(&seed) ^ 0x2545f4914f6cdd1dULL;
    }
    return seed;
  }();
  return SampleWith(state, rate);
}

std::string_view NameOf(Kind kind) {
  switch (kind) {
    case Kind::kAllow:
      return "allow";
    case Kind::kDeny:
      return "deny";
    case Kind::kEscalate:
      return "escalate";
  }
  return "deny";
}

struct Boundary::Compiled {
  struct PolicyInfo {
    bool forbid = false;
    std::optional<std::string> escalate;  // `@escalate`'s value; empty: the pact owner
    std::string reason;                   // `@reason`, shown to analysts
  };

  explicit Compiled(cedar::Authorizer a) : authorizer(std::move(a)) {}

  cedar::Authorizer authorizer;
  std::optional<cedar::schema::Schema> schema;
  // The schema's action entities, the base of every request's entity store (null: none).
  std::shared_ptr<const cedar::Entities> action_entities;
  std::unordered_map<std::string, PolicyInfo> policies;
  // The schema's `Action::"<id>"` actions by id, with what each request would otherwise look up.
  struct ActionInfo {
    const cedar::schema::Action* action = nullptr;
    bool agent_principal = false;      // Agent is in its appliesTo principals
    bool confidence_declared = false;  // its context type declares `confidence`
  };
  std::unordered_map<std::string, ActionInfo> actions;
};

Result<Boundary> Boundary::Compile(const pact::Pact& pact) {
  if (!pact.boundaries) {
    return Boundary(std::make_shared<const Compiled>(cedar::Authorizer(cedar::PolicySet{})));
  }
  const pact::Boundaries& b = *pact.boundaries;
  Result<cedar::Authorizer> authorizer = cedar::Authorizer::FromText(b.policies.text);
  if (!authorizer.ok()) {
    return authorizer.status().WithContext("boundaries.policies (" + b.policies.file + ")");
  }
  auto compiled = std::make_shared<Compiled>(std::move(*authorizer));
  for (const cedar::Policy& p : compiled->authorizer.policies().policies) {
    Compiled::PolicyInfo info;
    info.forbid = p.effect == cedar::Effect::kForbid;
    if (auto it = p.annotations.find("escalate"); it != p.annotations.end()) {
      info.escalate = it->second;
    }
    if (auto it = p.annotations.find("reason"); it != p.annotations.end()) info.reason = it->second;
    compiled->policies.emplace(p.id, std::move(info));
  }
  if (b.schema) {
    Result<cedar::schema::Schema> schema = [&]() -> Result<cedar::schema::Schema> {
      if (b.schema->file.ends_with(".json")) {
        PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(b.schema->text));
        return cedar::schema::ParseJsonSchema(json);
      }
      return cedar::schema::ParseCedarSchema(b.schema->text);
    }();
    if (!schema.ok()) {
      return schema.status().WithContext("boundaries.schema (" + b.schema->file + ")");
    }
    cedar::Entities::Builder actions;
    for (const auto& [uid, action] : schema->actions) {
      cedar::Entity e;
      e.uid = cedar::EntityUid{uid.type, uid.id};
      for (const cedar::schema::ActionUid& parent : action.member_of) {
        e.parents.push_back(cedar::EntityUid{parent.type, parent.id});
      }
      actions.Add(std::move(e)).IgnoreError();  // uids are unique in the schema
    }
    compiled->action_entities =
        std::make_shared<const cedar::Entities>(std::move(actions).Finish());
    compiled->schema = std::move(*schema);
    for (const auto& [uid, action] : compiled->schema->actions) {
      if (uid.type != kActionType) continue;
      compiled->actions.emplace(
          uid.id, Compiled::ActionInfo{&action, action.principal_types.count(kAgentType) > 0,
                                       action.context->attributes.count(kConfidence) > 0});
    }
  }
  return Boundary(std::move(compiled));
}

namespace {

struct Built {
  cedar::Request request;
  cedar::Entities entities;
};

Status CheckShape(const DecideRequest& r, const pact::Pact& pact) {
  if (r.agent.empty()) return InvalidArgument("agent: must not be empty");
  if (r.action.empty()) return InvalidArgument("action: must not be empty");
  if (r.resource.type.empty()) return InvalidArgument("resource.type: must not be empty");
  if (r.resource.id.empty()) return InvalidArgument("resource.id: must not be empty");
  if (!r.workflow.empty() && r.workflow != pact.workflow) {
    return InvalidArgument("workflow: \"" + r.workflow + "\" is not the pact's workflow \"" +
                           pact.workflow + "\"");
  }
  if (!r.context.is_null() && !r.context.is_object()) {
    return InvalidArgument("context: expected a JSON object");
  }
  if (r.context.is_object() && r.context.contains(kConfidence)) {
    return InvalidArgument(
        "context.confidence: reserved; give the agent's confidence as the request's confidence");
  }
  if (!r.resource.attrs.is_null() && !r.resource.attrs.is_object()) {
    return InvalidArgument("resource.attrs: expected a JSON object");
  }
  if (r.confidence && !(*r.confidence >= 0 && *r.confidence <= 1)) {
    return InvalidArgument("confidence: expected a number from 0 to 1");
  }
  return Status::Ok();
}

cedar::Record PrincipalAttrs(const TrustUsed& t, const std::string& workflow) {
  // Built on every decision: each member goes at the end, in name order, so no insert searches.
  cedar::Record attrs;
  auto add = [&attrs](const char* name, cedar::Value value) {
    attrs.emplace_hint(attrs.end(), name, std::move(value));
  };
  add("autonomy", std::string(pact::NameOf(t.autonomy)));
  add("capability", static_cast<std::int64_t>(t.capability));
  add("capability_lb", static_cast<std::int64_t>(t.capability_lb));
  add("drifting", t.drifting);
  add("fingerprint_fresh", t.fingerprint_fresh);
  add("reputation", static_cast<std::int64_t>(t.reputation));
  add("reputation_lb", static_cast<std::int64_t>(t.reputation_lb));
  add("tier", std::string(pact::NameOf(t.tier)));
  add("workflow", workflow);
  return attrs;
}

// Schema checks and typing of the caller's context and the resource's attributes; without a
// schema, the JSON values are read as Cedar's schemaless entity format.
Status TypeInputs(const Boundary::Compiled& c, const DecideRequest& r, cedar::Record* context,
                  cedar::Record* resource_attrs) {
  const std::optional<std::int64_t> confidence =
      r.confidence ? std::optional<std::int64_t>(std::llround(*r.confidence * 100)) : std::nullopt;
  if (!c.schema) {
    PACTUM_ASSIGN_OR_RETURN(*context, RecordFromJson(r.context, "context"));
    PACTUM_ASSIGN_OR_RETURN(*resource_attrs, RecordFromJson(r.resource.attrs, "resource.attrs"));
    if (confidence) context->insert_or_assign(kConfidence, *confidence);
    return Status::Ok();
  }
  const cedar::schema::Schema& schema = *c.schema;
  auto found = c.actions.find(r.action);
  if (found == c.actions.end()) {
    return NotFound("action: " + Quoted(kActionType, r.action) +
                    " is not declared in the pact's schema");
  }
  const cedar::schema::Action* action = found->second.action;
  // The schema's appliesTo check, as Cedar's request validation makes it; whether Agent may be
  // the principal is known per action at compile time, so only a refusal asks again.
  if (!found->second.agent_principal)
    return cedar::schema::CheckAppliesTo(*action, "principal", kAgentType);
  PACTUM_TRY(cedar::schema::CheckAppliesTo(*action, "resource", r.resource.type));
  PACTUM_TRY(cedar::schema::CheckEnumId(schema, kAgentType, r.agent, "principal"));
  PACTUM_TRY(cedar::schema::CheckEnumId(schema, r.resource.type, r.resource.id, "resource"));

  // A schema that declares `confidence` types it (and may require it); otherwise it is added
  // after the check, as the caller cannot set it.
  const bool declared = found->second.confidence_declared;
  static const Json kEmpty = Json::object();
  const Json* caller = r.context.is_null() ? &kEmpty : &r.context;
  Json with_confidence;
  if (declared && confidence) {
    with_confidence = *caller;
    with_confidence[kConfidence] = *confidence;
    caller = &with_confidence;
  }
  const cedar::schema::Type& context_type = *action->context;
  const bool nothing_required =
      std::none_of(context_type.attributes.begin(), context_type.attributes.end(),
                   [](const auto& attribute) { return attribute.second.required; });
  if (!caller->empty() || !nothing_required) {  // an empty context where none is required: {}
    Result<Json> typed =
        cedar::schema::NormalizeValue(schema, *caller, &context_type, "context", 0);
    if (!typed.ok()) return AsPath(typed.status());
    PACTUM_ASSIGN_OR_RETURN(*context, RecordFromJson(*typed, "context"));
  }
  if (confidence && !declared) context->insert_or_assign(kConfidence, *confidence);

  const cedar::schema::EntityType* type = schema.FindEntityType(r.resource.type);
  if (type == nullptr) {
    return InvalidArgument("resource.type: " + r.resource.type + " is not declared in the schema");
  }
  const Json& attrs = r.resource.attrs.is_null() ? kEmpty : r.resource.attrs;
  Result<Json> typed_attrs =
      cedar::schema::NormalizeValue(schema, attrs, type->shape.get(), "resource.attrs", 0);
  if (!typed_attrs.ok()) return AsPath(typed_attrs.status());
  PACTUM_ASSIGN_OR_RETURN(*resource_attrs, RecordFromJson(*typed_attrs, "resource.attrs"));
  return Status::Ok();
}

Result<Built> Build(const Boundary::Compiled& c, const pact::Pact& pact, const TrustUsed& trust,
                    const DecideRequest& r) {
  cedar::Record context, resource_attrs;
  PACTUM_TRY(TypeInputs(c, r, &context, &resource_attrs));

  Built built;
  built.request.principal = cedar::EntityUid{kAgentType, r.agent};
  built.request.action = cedar::EntityUid{kActionType, r.action};
  built.request.resource = cedar::EntityUid{r.resource.type, r.resource.id};
  built.request.context = cedar::Value::MakeRecord(std::move(context));
  if (built.request.resource == built.request.principal) {
    return InvalidArgument("resource: must not be the requesting agent itself");
  }

  cedar::Entities::Builder entities;
  cedar::Entity principal;
  principal.uid = built.request.principal;
  principal.attrs = PrincipalAttrs(trust, pact.workflow);
  PACTUM_TRY(entities.Add(std::move(principal)));
  cedar::Entity resource;
  resource.uid = built.request.resource;
  resource.attrs = std::move(resource_attrs);
  PACTUM_TRY(entities.Add(std::move(resource)));
  built.entities = std::move(entities).Finish(c.action_entities);
  return built;
}

void Add(Decision& d, std::string code, std::string message, std::string policy = {}) {
  d.reasons.push_back(Reason{std::move(code), std::move(message), std::move(policy)});
}

// DESIGN §6 steps 3 and 4, on Cedar's response.
void Apply(const Boundary::Compiled& c, const pact::Pact& pact, pact::Mode mode,
           const DecideRequest& r, cedar::Response response, Sampler& sampler, Decision& d) {
  d.determining_policies = std::move(response.reasons);
  d.errors = std::move(response.errors);
  const std::vector<std::string>& determining = d.determining_policies;
  auto info = [&](const std::string& id) -> const Boundary::Compiled::PolicyInfo* {
    auto it = c.policies.find(id);
    return it == c.policies.end() ? nullptr : &it->second;
  };

  Kind real;
  if (response.decision == cedar::Decision::kDeny) {
    real = Kind::kDeny;
    for (const std::string& id : determining) {
      const auto* p = info(id);
      std::string message = "forbidden by policy " + id;
      if (p != nullptr && !p->reason.empty()) message += ": " + p->reason;
      Add(d, "forbid", std::move(message), id);
    }
    if (determining.empty()) Add(d, "no_permit", "no policy permits " + r.action);
  } else {
    std::optional<std::string> policy_reviewer;
    for (const std::string& id : determining) {
      const auto* p = info(id);
      if (p == nullptr || !p->escalate) continue;
      const std::string& who = p->escalate->empty() ? pact.owner : *p->escalate;
      if (!policy_reviewer) policy_reviewer = who;
      std::string message = "policy " + id + " requires review by " + who;
      if (!p->reason.empty()) message += ": " + p->reason;
      Add(d, "escalate_policy", std::move(message), id);
    }
    bool suspended = false;
    if (d.trust.autonomy == pact::Autonomy::kSuspended) {
      suspended = true;
      Add(d, "autonomy_suspended",
          "agent is suspended: " + TrustSummary(d.trust) +
              "; it may not act, its work goes to the owner " + pact.owner);
    } else if (d.trust.autonomy == pact::Autonomy::kApproval) {
      Add(d, "autonomy_approval",
          "autonomy is approval: " + TrustSummary(d.trust) + "; a human approves each act");
    }
    if (r.confidence && *r.confidence < pact.escalate_below_confidence) {
      Add(d, "low_confidence",
          "agent confidence " + TwoDecimals(*r.confidence) +
              " is below the pact's escalate_below_confidence " +
              TwoDecimals(pact.escalate_below_confidence));
    }
    for (const cedar::PolicyError& e : d.errors) {
      const auto* p = info(e.policy_id);
      if (p == nullptr || !p->forbid) continue;
      Add(d, "forbid_errored",
          "forbid policy " + e.policy_id + " could not be evaluated (" + e.message +
              "); escalated rather than allowed",
          e.policy_id);
    }
    if (!d.reasons.empty()) {
      real = Kind::kEscalate;
      d.reviewer = suspended || !policy_reviewer ? pact.owner : *policy_reviewer;
      d.review = true;
    } else {
      real = Kind::kAllow;
      for (const std::string& id : determining)
        Add(d, "permit", "permitted by policy " + id, id);
      if (d.trust.autonomy == pact::Autonomy::kSupervised &&
          sampler.Sample(pact.supervised_sample_rate)) {
        d.sampled_for_review = true;
        Add(d, "supervised_sample",
            "autonomy is supervised: this act is sampled for review by " + pact.owner);
      }
    }
  }

  d.kind = real;
  if (mode == pact::Mode::kShadow) {
    d.shadow_decision = real;
    d.kind = Kind::kAllow;
    d.review = false;
    Add(d, "shadow",
        "pact is in shadow mode: the real decision, " + std::string(NameOf(real)) +
            ", is recorded and the answer is allow");
  }
}

}  // namespace

Result<Decision> Decide(const Boundary& boundary, const pact::Pact& pact,
                        const trust::TrustSnapshot& snapshot, const DecideRequest& request,
                        Sampler& sampler, std::optional<pact::Mode> mode) {
  Decision d;
  try {
    d.trust = Used(snapshot);
    PACTUM_TRY(CheckShape(request, pact));
    const Boundary::Compiled& c = boundary.compiled();
    PACTUM_ASSIGN_OR_RETURN(Built built, Build(c, pact, d.trust, request));
    Apply(c, pact, mode.value_or(pact.mode), request,
          c.authorizer.IsAuthorized(built.request, built.entities), sampler, d);
    return d;
  } catch (const std::exception& e) {
    Decision failed;
    failed.trust = d.trust;
    Add(failed, "internal", std::string("internal error, denied: ") + e.what());
    return failed;
  }
}

Json ToJson(const Decision& d) {
  Json reasons = Json::array();
  for (const Reason& r : d.reasons) {
    Json& j = reasons.emplace_back(Json::object());
    j["code"] = r.code;
    j["message"] = r.message;
    if (!r.policy.empty()) j["policy"] = r.policy;
  }
  Json errors = Json::array();
  for (const cedar::PolicyError& e : d.errors) {
    Json& j = errors.emplace_back(Json::object());
    j["policy"] = e.policy_id;
    j["message"] = e.message;
  }
  const TrustUsed& t = d.trust;
  Json trust = Json::object();
  trust["tier"] = pact::NameOf(t.tier);
  trust["autonomy"] = pact::NameOf(t.autonomy);
  trust["capability"] = ScoreJson(t.capability, t.capability_lb, t.capability_measured);
  trust["reputation"] = ScoreJson(t.reputation, t.reputation_lb, t.reputation_measured);
  trust["drifting"] = t.drifting;
  trust["fingerprint_fresh"] = t.fingerprint_fresh;
  Json out = Json::object();
  out["decision"] = NameOf(d.kind);
  out["reasons"] = std::move(reasons);
  out["review"] = d.review;
  out["sampled_for_review"] = d.sampled_for_review;
  out["determining_policies"] = d.determining_policies;
  out["errors"] = std::move(errors);
  out["trust"] = std::move(trust);
  if (!d.reviewer.empty()) out["reviewer"] = d.reviewer;
  if (d.shadow_decision) out["shadow_decision"] = NameOf(*d.shadow_decision);
  return out;
}

}  // namespace pactum::control
