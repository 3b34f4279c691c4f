#include "pactum/trust/evidence.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <utility>

#include "pactum/base/clock.h"

namespace pactum::trust {
namespace {

constexpr std::array<std::pair<EvidenceKind, std::string_view>, 7> kKindNames = {{
    {EvidenceKind::kEvalCase, "eval_case"},
    {EvidenceKind::kProductionOutcome, "production_outcome"},
    {EvidenceKind::kAnalystVerdict, "analyst_verdict"},
    {EvidenceKind::kBreach, "breach"},
    {EvidenceKind::kIncident, "incident"},
    {EvidenceKind::kReviewResolution, "review_resolution"},
    {EvidenceKind::kDisputeResolution, "dispute_resolution"},
}};

std::string Join(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : std::string(prefix) + "." + std::string(name);
}

// Where a value sits: its parent's path and its own name. The path is spelled out only for an
// error, so that reading valid evidence builds none (with the label copies, that had been about
// half the cost of reading an item).
struct Field {
  std::string_view parent;
  std::string_view name;
  std::string Path() const { return Join(parent, name); }
};

// A string's text, borrowed from the document.
Result<std::string_view> ReadText(const Json& value, const Field& field, bool non_empty) {
  if (!value.is_string()) return FieldError(field.Path(), "must be a string");
  const std::string& text = value.get_ref<const std::string&>();
  if (non_empty && text.empty()) return FieldError(field.Path(), "must not be empty");
  return std::string_view(text);
}

Result<std::string> ReadString(const Json& value, const Field& field, bool non_empty) {
  PACTUM_ASSIGN_OR_RETURN(std::string_view text, ReadText(value, field, non_empty));
  return std::string(text);
}

Result<bool> ReadBool(const Json& value, const Field& field) {
  if (!value.is_boolean()) return FieldError(field.Path(), "must be true or false");
  return value.get<bool>();
}

Result<double> ReadUnit(const Json& value, const Field& field) {
  if (!value.is_number()) return FieldError(field.Path(), "must be a number in [0, 1]");
  const double x = value.get<double>();
  if (!(x >= 0 && x <= 1)) return FieldError(field.Path(), "must be a number in [0, 1]");
  return x;
}

Result<double> ReadNonNegative(const Json& value, const Field& field) {
  if (!value.is_number()) return FieldError(field.Path(), "must be a finite number ≥ 0");
  const double x = value.get<double>();
  if (!(x >= 0 && std::isfinite(x))) return FieldError(field.Path(), "must be a finite number ≥ 0");
  return x;
}

// A key of scores/checks/outcomes (the object at `parent`): the [a-z0-9_]+ names metrics and
// dimensions use.
Status CheckName(std::string_view name, const Field& parent) {
  if (name.empty()) return FieldError(parent.Path(), "names must not be empty");
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return FieldError(Join(parent.Path(), name), "names must be [a-z0-9_]+");
    }
  }
  return Status::Ok();
}

Result<LabelPair> ReadLabels(const Json& value, const Field& field,
                             std::initializer_list<std::string_view> labels,
                             std::string_view expected) {
  if (!value.is_object()) return FieldError(field.Path(), "must be an object {predicted, actual}");
  for (auto it = value.cbegin(); it != value.cend(); ++it) {
    const std::string_view name = it.key();
    if (name != "predicted" && name != "actual")
      return FieldError(Join(field.Path(), name), "unknown field");
  }
  LabelPair pair;
  for (std::string_view name : {"predicted", "actual"}) {
    auto it = value.find(name);
    if (it == value.end()) return FieldError(Join(field.Path(), name), "is required");
    const std::string* label = it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    if (!label || std::find(labels.begin(), labels.end(), *label) == labels.end())
      return FieldError(Join(field.Path(), name), "must be " + std::string(expected));
    (name == "predicted" ? pair.predicted : pair.actual) = *label;
  }
  return pair;
}

// Reads one observation part into `observed`; false when `key` is not an observation part.
// `parent` is where the parts sit: "" at the top level, or a dispute's correction.
Result<bool> ReadPart(std::string_view key, const Json& value, std::string_view parent,
                      Observations& observed) {
  const Field field{parent, key};
  if (key == "classification") {
    PACTUM_ASSIGN_OR_RETURN(observed.classification,
                            ReadLabels(value, field, {"TP", "FP"}, "\"TP\" or \"FP\""));
  } else if (key == "priority") {
    PACTUM_ASSIGN_OR_RETURN(observed.priority,
                            ReadLabels(value, field, {"Low", "Medium", "High", "Critical"},
                                       "\"Low\", \"Medium\", \"High\" or \"Critical\""));
  } else if (key == "escalation") {
    if (!value.is_object())
      return FieldError(field.Path(), "must be an object {escalated, needed}");
    const std::string path = field.Path();  // a rare part: spelled out once
    for (const auto& [name, part] : value.items()) {
      if (name == "escalated") {
        PACTUM_ASSIGN_OR_RETURN(observed.escalated, ReadBool(part, {path, name}));
      } else if (name == "needed") {
        PACTUM_ASSIGN_OR_RETURN(observed.escalation_needed, ReadBool(part, {path, name}));
      } else {
        return FieldError(Join(path, name), "unknown field");
      }
    }
  } else if (key == "success") {
    PACTUM_ASSIGN_OR_RETURN(observed.success, ReadBool(value, field));
  } else if (key == "latency_ms") {
    PACTUM_ASSIGN_OR_RETURN(observed.latency_ms, ReadNonNegative(value, field));
  } else if (key == "cost_usd") {
    PACTUM_ASSIGN_OR_RETURN(observed.cost_usd, ReadNonNegative(value, field));
  } else if (key == "scores" || key == "outcomes") {
    if (!value.is_object()) return FieldError(field.Path(), "must be an object {name: 0..1}");
    auto& target = key == "scores" ? observed.scores : observed.outcomes;
    const std::string path = field.Path();
    for (const auto& [name, part] : value.items()) {
      PACTUM_TRY(CheckName(name, field));
      PACTUM_ASSIGN_OR_RETURN(target[name], ReadUnit(part, {path, name}));
    }
  } else if (key == "checks") {
    if (!value.is_object()) return FieldError(field.Path(), "must be an object {name: true|false}");
    const std::string path = field.Path();
    for (const auto& [name, part] : value.items()) {
      PACTUM_TRY(CheckName(name, field));
      PACTUM_ASSIGN_OR_RETURN(observed.checks[name], ReadBool(part, {path, name}));
    }
  } else if (key == "actions") {
    if (!value.is_array()) return FieldError(field.Path(), "must be an array of action names");
    const std::string path = field.Path();
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      PACTUM_ASSIGN_OR_RETURN(std::string action, ReadString(value[i], {"", at}, true));
      observed.actions.push_back(std::move(action));
    }
  } else {
    return false;
  }
  return true;
}

Status ReadReview(const Json& value, Evidence& evidence) {
  if (!value.is_object()) return FieldError("review", "must be an object {decision, review_id}");
  for (const auto& [key, part] : value.items()) {
    const Field field{"review", key};
    if (key == "decision") {
      PACTUM_ASSIGN_OR_RETURN(const std::string_view decision, ReadText(part, field, true));
      if (decision != "approve" && decision != "deny") {
        return FieldError(field.Path(), "must be \"approve\" or \"deny\"");
      }
      evidence.review_approved = decision == "approve";
    } else if (key == "review_id") {
      PACTUM_ASSIGN_OR_RETURN(evidence.review_id, ReadString(part, field, false));
    } else {
      return FieldError(field.Path(), "unknown field");
    }
  }
  return Status::Ok();
}

Status ReadDispute(const Json& value, Evidence& evidence) {
  if (!value.is_object()) {
    return FieldError("dispute", "must be an object {evidence_id, upheld, correction}");
  }
  for (const auto& [key, part] : value.items()) {
    const Field field{"dispute", key};
    if (key == "evidence_id") {
      PACTUM_ASSIGN_OR_RETURN(evidence.disputed_evidence_id, ReadString(part, field, true));
    } else if (key == "upheld") {
      PACTUM_ASSIGN_OR_RETURN(evidence.dispute_upheld, ReadBool(part, field));
    } else if (key == "correction") {
      if (!part.is_object()) return FieldError(field.Path(), "must be an object of evidence parts");
      const std::string path = field.Path();
      Observations correction;
      for (const auto& [name, inner] : part.items()) {
        PACTUM_ASSIGN_OR_RETURN(const bool known, ReadPart(name, inner, path, correction));
        if (!known) return FieldError(Join(path, name), "unknown field");
      }
      evidence.correction = std::move(correction);
    } else {
      return FieldError(field.Path(), "unknown field");
    }
  }
  return Status::Ok();
}

Json LabelsToJson(const LabelPair& pair) {
  return Json{{"predicted", pair.predicted}, {"actual", pair.actual}};
}

void PartsToJson(const Observations& o, Json& out) {
  if (o.classification) out["classification"] = LabelsToJson(*o.classification);
  if (o.priority) out["priority"] = LabelsToJson(*o.priority);
  if (o.escalated || o.escalation_needed) {
    Json escalation = Json::object();
    if (o.escalated) escalation["escalated"] = *o.escalated;
    if (o.escalation_needed) escalation["needed"] = *o.escalation_needed;
    out["escalation"] = std::move(escalation);
  }
  if (o.success) out["success"] = *o.success;
  if (o.latency_ms) out["latency_ms"] = *o.latency_ms;
  if (o.cost_usd) out["cost_usd"] = *o.cost_usd;
  if (!o.scores.empty()) out["scores"] = o.scores;
  if (!o.checks.empty()) out["checks"] = o.checks;
  if (!o.actions.empty()) out["actions"] = o.actions;
  if (!o.outcomes.empty()) out["outcomes"] = o.outcomes;
}

}  // namespace

std::string_view NameOf(EvidenceKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  for (const auto& [kind, n] : kKindNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

Result<Evidence> EvidenceFromJson(const Json& json, double default_time) {
  if (!json.is_object()) return InvalidArgument("evidence must be a JSON object");
  Evidence evidence;
  evidence.time = default_time;
  bool has_kind = false, has_agent = false, has_workflow = false;
  const Json* review = nullptr;
  const Json* dispute = nullptr;
  // Member by member with the plain iterator: items() makes a string for each, which an object
  // never uses.
  for (auto it = json.cbegin(); it != json.cend(); ++it) {
    const std::string& name = it.key();
    const Json& value = *it;
    const std::string_view key = name;
    const Field field{"", key};
    if (key == "kind") {
      PACTUM_ASSIGN_OR_RETURN(const std::string_view text, ReadText(value, field, true));
      const auto kind = ParseEvidenceKind(text);
      if (!kind) {
        return FieldError(name,
                          "must be one of eval_case production_outcome analyst_verdict breach "
                          "incident review_resolution dispute_resolution, got \"" +
                              std::string(text) + "\"");
      }
      evidence.kind = *kind;
      has_kind = true;
    } else if (key == "agent") {
      PACTUM_ASSIGN_OR_RETURN(evidence.agent, ReadString(value, field, true));
      has_agent = true;
    } else if (key == "workflow") {
      PACTUM_ASSIGN_OR_RETURN(evidence.workflow, ReadString(value, field, true));
      has_workflow = true;
    } else if (key == "time") {
      PACTUM_ASSIGN_OR_RETURN(const std::string_view text, ReadText(value, field, true));
      auto parsed = ParseRfc3339(text);
      if (!parsed.ok()) {
        return FieldError(name, "must be an RFC 3339 time, got \"" + std::string(text) + "\"");
      }
      evidence.time = static_cast<double>(UnixMillis(*parsed)) / 1000.0;
    } else if (key == "severity") {
      PACTUM_ASSIGN_OR_RETURN(const std::string_view text, ReadText(value, field, true));
      evidence.severity = pact::ParseSeverity(text);
      if (!evidence.severity) return FieldError(name, "must be info, minor, major or critical");
    } else if (key == "subject") {
      PACTUM_ASSIGN_OR_RETURN(evidence.subject, ReadString(value, field, false));
    } else if (key == "review") {
      review = &value;
    } else if (key == "dispute") {
      dispute = &value;
    } else if (key == "id" || key == "idempotency_key" || key == "pact" || key == "fingerprint") {
      // The caller's: identity, deduplication and binding are decided where evidence is stored.
    } else {
      PACTUM_ASSIGN_OR_RETURN(const bool known, ReadPart(key, value, "", evidence.observed));
      if (!known) return FieldError(name, "unknown field");
    }
  }
  if (!has_kind) return FieldError("kind", "is required");
  if (!has_agent) return FieldError("agent", "is required");
  if (!has_workflow) return FieldError("workflow", "is required");
  const bool is_review = evidence.kind == EvidenceKind::kReviewResolution;
  const bool is_dispute = evidence.kind == EvidenceKind::kDisputeResolution;
  if (review && !is_review) return FieldError("review", "only review_resolution evidence has it");
  if (dispute && !is_dispute) {
    return FieldError("dispute", "only dispute_resolution evidence has it");
  }
  if (review) PACTUM_TRY(ReadReview(*review, evidence));
  if (dispute) PACTUM_TRY(ReadDispute(*dispute, evidence));
  if (is_review && !evidence.review_approved) {
    return FieldError("review.decision", "is required for review_resolution evidence");
  }
  if (is_dispute) {
    if (evidence.disputed_evidence_id.empty()) {
      return FieldError("dispute.evidence_id", "is required for dispute_resolution evidence");
    }
    if (!evidence.dispute_upheld) {
      return FieldError("dispute.upheld", "is required for dispute_resolution evidence");
    }
  }
  return evidence;
}

Json ToJson(const Evidence& evidence) {
  Json out = Json::object();
  if (!evidence.id.empty()) out["id"] = evidence.id;
  out["kind"] = NameOf(evidence.kind);
  out["agent"] = evidence.agent;
  out["workflow"] = evidence.workflow;
  out["time"] = FormatRfc3339(FromUnixMillis(std::llround(evidence.time * 1000)));
  if (evidence.severity) out["severity"] = pact::NameOf(*evidence.severity);
  if (!evidence.subject.empty()) out["subject"] = evidence.subject;
  PartsToJson(evidence.observed, out);
  if (evidence.review_approved || !evidence.review_id.empty()) {
    Json review = Json::object();
    if (evidence.review_approved)
      review["decision"] = *evidence.review_approved ? "approve" : "deny";
    if (!evidence.review_id.empty()) review["review_id"] = evidence.review_id;
    out["review"] = std::move(review);
  }
  if (!evidence.disputed_evidence_id.empty() || evidence.dispute_upheld || evidence.correction) {
    Json dispute = Json::object();
    if (!evidence.disputed_evidence_id.empty())
      dispute["evidence_id"] = evidence.disputed_evidence_id;
    if (evidence.dispute_upheld) dispute["upheld"] = *evidence.dispute_upheld;
    if (evidence.correction) {
      Json correction = Json::object();
      PartsToJson(*evidence.correction, correction);
      dispute["correction"] = std::move(correction);
    }
    out["dispute"] = std::move(dispute);
  }
  return out;
}

namespace {

// The members of Observations, each written only when present. Callers interleave them with
// their own members in canonical (byte) order; the writer refuses any other.
struct ObservationWriter {
  const Observations& o;
  CanonicalWriter& w;

  void Labels(std::string_view name, const std::optional<LabelPair>& pair) {
    if (!pair) return;
    w.Name(name).BeginObject().Name("actual").String(pair->actual);
    w.Name("predicted").String(pair->predicted).EndObject();
  }
  // Maps go through the general form: their names are the submitter's, in any script.
  template <typename Members>
  void Map(std::string_view name, const Members& map) {
    if (!map.empty()) w.Name(name).Value(Json(map));
  }
  void Number(std::string_view name, const std::optional<double>& value) {
    if (value) w.Name(name).Number(*value);
  }
  void Actions() {
    if (o.actions.empty()) return;
    w.Name("actions").BeginArray();
    for (const std::string& action : o.actions)
      w.String(action);
    w.EndArray();
  }
  void Escalation() {
    if (!o.escalated && !o.escalation_needed) return;
    w.Name("escalation").BeginObject();
    if (o.escalated) w.Name("escalated").Bool(*o.escalated);
    if (o.escalation_needed) w.Name("needed").Bool(*o.escalation_needed);
    w.EndObject();
  }
  void Success() {
    if (o.success) w.Name("success").Bool(*o.success);
  }
  // All of them, for a correction, which has nothing else.
  void All() {
    Actions();
    Map("checks", o.checks);
    Labels("classification", o.classification);
    Number("cost_usd", o.cost_usd);
    Escalation();
    Number("latency_ms", o.latency_ms);
    Map("outcomes", o.outcomes);
    Labels("priority", o.priority);
    Map("scores", o.scores);
    Success();
  }
};

}  // namespace

void WriteCanonical(const Evidence& e, CanonicalWriter& w) {
  ObservationWriter observed{e.observed, w};
  w.BeginObject();
  observed.Actions();
  w.Name("agent").String(e.agent);
  observed.Map("checks", e.observed.checks);
  observed.Labels("classification", e.observed.classification);
  observed.Number("cost_usd", e.observed.cost_usd);
  if (!e.disputed_evidence_id.empty() || e.dispute_upheld || e.correction) {
    w.Name("dispute").BeginObject();
    if (e.correction) {
      w.Name("correction").BeginObject();
      ObservationWriter{*e.correction, w}.All();
      w.EndObject();
    }
    if (!e.disputed_evidence_id.empty()) w.Name("evidence_id").String(e.disputed_evidence_id);
    if (e.dispute_upheld) w.Name("upheld").Bool(*e.dispute_upheld);
    w.EndObject();
  }
  observed.Escalation();
  if (!e.id.empty()) w.Name("id").String(e.id);
  w.Name("kind").String(NameOf(e.kind));
  observed.Number("latency_ms", e.observed.latency_ms);
  observed.Map("outcomes", e.observed.outcomes);
  observed.Labels("priority", e.observed.priority);
  if (e.review_approved || !e.review_id.empty()) {
    w.Name("review").BeginObject();
    if (e.review_approved) w.Name("decision").String(*e.review_approved ? "approve" : "deny");
    if (!e.review_id.empty()) w.Name("review_id").String(e.review_id);
    w.EndObject();
  }
  observed.Map("scores", e.observed.scores);
  if (e.severity) w.Name("severity").String(pact::NameOf(*e.severity));
  if (!e.subject.empty()) w.Name("subject").String(e.subject);
  observed.Success();
  w.Name("time").String(FormatRfc3339(FromUnixMillis(std::llround(e.time * 1000))));
  w.Name("workflow").String(e.workflow);
  w.EndObject();
}

}  // namespace pactum::trust
