// The canonical JSON form of a pact (pact.h: ToJson, FromJson, Hash).
#include "pactum/base/canonical_json.h"
#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/pact/pact.h"
#include "pactum/pact/validate.h"

namespace pactum::pact {
namespace {

Json ConditionJson(const Condition& c) {
  Json j = {{"id", c.id},
            {"metric", c.metric},
            {"op", NameOf(c.op)},
            {"window", c.window_seconds},
            {"min_samples", c.min_samples},
            {"severity", NameOf(c.severity)},
            {"verification", NameOf(c.verification)},
            {"dimension", c.dimension}};
  if (c.op == Op::kIncludes || c.op == Op::kExcludes) {
    j["threshold"] = c.names;
  } else {
    j["threshold"] = c.threshold;
  }
  if (c.verification == Verification::kJury) {
    j["rubric"] = c.rubric;
    j["judges"] = c.judges;
  }
  return j;
}

Json BoundaryFileJson(const BoundaryFile& f) {
  return {{"file", f.file}, {"text", f.text}};
}

}  // namespace

Json ToJson(const Pact& pact) {
  Json conditions = Json::array();
  for (const Condition& c : pact.conditions)
    conditions.push_back(ConditionJson(c));
  Json boundaries = nullptr;
  if (pact.boundaries) {
    boundaries = {{"policies", BoundaryFileJson(pact.boundaries->policies)},
                  {"schema", pact.boundaries->schema ? BoundaryFileJson(*pact.boundaries->schema)
                                                     : Json(nullptr)}};
  }
  // Full maps: a tier or severity the pact left out is written with its default, so two pacts
  // that behave the same hash the same.
  Json autonomy = Json::object();
  for (Tier t : {Tier::kUnrated, Tier::kBronze, Tier::kSilver, Tier::kGold, Tier::kPlatinum}) {
    auto it = pact.autonomy.find(t);
    autonomy[std::string(NameOf(t))] =
        NameOf(it == pact.autonomy.end() ? DefaultAutonomy(t) : it->second);
  }
  Json consequences = Json::object();
  for (Severity s : {Severity::kInfo, Severity::kMinor, Severity::kMajor, Severity::kCritical}) {
    auto it = pact.consequences.find(s);
    consequences[std::string(NameOf(s))] =
        NameOf(it == pact.consequences.end() ? DefaultConsequence(s) : it->second);
  }
  return {{"pact", pact.name},
          {"version", pact.version},
          {"workflow", pact.workflow},
          {"agents", pact.agents},
          {"owner", pact.owner},
          {"mode", NameOf(pact.mode)},
          {"conditions", std::move(conditions)},
          {"boundaries", std::move(boundaries)},
          {"autonomy", std::move(autonomy)},
          {"escalate_below_confidence", pact.escalate_below_confidence},
          {"consequences", std::move(consequences)},
          {"review_sla", pact.review_sla_seconds},
          {"supervised_sample_rate", pact.supervised_sample_rate}};
}

Result<Pact> FromJson(const Json& json) {
  std::vector<internal::Issue> issues;
  Pact pact = internal::Validate(json, /*files=*/nullptr, &issues);
  if (issues.empty()) return pact;
  std::string message;
  Json fields = Json::array();
  for (const internal::Issue& issue : issues) {
    if (!message.empty()) message += "\n";
    message += internal::ValidUtf8(internal::Describe(issue));
    fields.push_back({{"field", internal::ValidUtf8(issue.path)},
                      {"message", internal::ValidUtf8(issue.message)}});
  }
  return InvalidArgument(std::move(message), {{"problems", std::move(fields)}});
}

std::string Hash(const Pact& pact) {
  // ToJson holds only finite numbers and the strings the pact was built from; should a caller
  // build a Pact by hand with invalid UTF-8, hash the lossy dump rather than fail.
  Json json = ToJson(pact);
  Result<std::string> canonical = CanonicalJson(json);
  std::string bytes =
      canonical.ok() ? *canonical : json.dump(-1, ' ', false, Json::error_handler_t::replace);
  return HexEncode(AsBytes(Sha256(bytes)));
}

}  // namespace pactum::pact
