// Weekly scorecards (DESIGN §9): the SOC KPIs of an agent in a workflow, computed from what the
// log holds: production evidence (analyst labels, escalation outcomes), decisions on
// containment actions, and reviews.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "pactum/base/json.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/reviews.h"
#include "pactum/store/store.h"
#include "pactum/trust/evidence.h"

namespace pactum::service {
namespace {

constexpr std::int64_t kWeekMs = 7LL * 24 * 3600 * 1000;
constexpr std::array<std::string_view, 3> kContainmentActions = {"isolate_host", "disable_account",
                                                                 "block_ioc"};
constexpr std::array<std::string_view, 4> kPriorities = {"Low", "Medium", "High", "Critical"};

using PairKey = std::pair<std::string, std::string>;  // agent, workflow

// The parts of one production evidence item a scorecard reads, after upheld disputes.
struct Labelled {
  std::string id;
  std::int64_t time = 0;  // Unix ms
  trust::Observations observed;
};

struct Containment {
  std::int64_t decided_at = 0;  // Unix ms: the period it counts in
  double seconds = 0;           // alert creation to execution
};

struct Resolution {
  std::int64_t resolved_at = 0;
  double seconds = 0;
};

struct History {
  std::vector<Labelled> evidence;
  std::vector<Containment> containments;
  std::vector<Resolution> resolutions;
};

// The q-quantile of `values` by linear interpolation between order statistics (the "type 7"
// definition of Hyndman and Fan, numpy's default); `values` is not empty.
double Quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

// null when nothing was counted: a KPI without data is unknown, not 0.
template <typename N, typename D>
Json KpiRatio(N numerator, D denominator) {
  return denominator > 0 ? Json(static_cast<double>(numerator) / static_cast<double>(denominator))
                         : Json(nullptr);
}

Json F1(const Json& precision, const Json& recall) {
  if (precision.is_null() || recall.is_null()) return nullptr;
  const double p = precision.get<double>(), r = recall.get<double>();
  return p + r > 0 ? Json(2 * p * r / (p + r)) : Json(0.0);
}

Json Durations(const std::vector<double>& seconds) {
  if (seconds.empty()) return {{"n", 0}, {"median_seconds", nullptr}, {"p90_seconds", nullptr}};
  return {{"n", seconds.size()},
          {"median_seconds", Quantile(seconds, 0.5)},
          {"p90_seconds", Quantile(seconds, 0.9)}};
}

Json SeverityKpi(const std::vector<const trust::LabelPair*>& pairs) {
  Json out = {{"n", pairs.size()}, {"labels", kPriorities}};
  std::array<std::array<std::size_t, 4>, 4> confusion{};  // [actual][predicted]
  std::size_t correct = 0;
  auto index = [](const std::string& label) {
    return static_cast<std::size_t>(std::find(kPriorities.begin(), kPriorities.end(), label) -
                                    kPriorities.begin());
  };
  for (const trust::LabelPair* p : pairs) {
    const std::size_t a = index(p->actual), q = index(p->predicted);
    if (a >= kPriorities.size() || q >= kPriorities.size()) continue;  // validated on ingest
    ++confusion[a][q];
    correct += a == q ? 1 : 0;
  }
  Json matrix = Json::array();
  for (const auto& row : confusion)
    matrix.push_back(row);
  out["confusion"] = std::move(matrix);
  out["accuracy"] = KpiRatio(correct, pairs.size());
  // Macro averages over the labels that occur (as actual or predicted): a label the agent never
  // predicts has precision 0, one that never occurs has recall 0.
  double precision_sum = 0, recall_sum = 0, f1_sum = 0;
  std::size_t classes = 0;
  for (std::size_t k = 0; k < kPriorities.size(); ++k) {
    std::size_t predicted = 0, actual = 0;
    for (std::size_t j = 0; j < kPriorities.size(); ++j) {
      predicted += confusion[j][k];
      actual += confusion[k][j];
    }
    if (predicted == 0 && actual == 0) continue;
    ++classes;
    const double tp = static_cast<double>(confusion[k][k]);
    const double precision = predicted ? tp / static_cast<double>(predicted) : 0.0;
    const double recall = actual ? tp / static_cast<double>(actual) : 0.0;
    precision_sum += precision;
    recall_sum += recall;
    f1_sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  }
  out["macro_precision"] = KpiRatio(precision_sum, classes);
  out["macro_recall"] = KpiRatio(recall_sum, classes);
  out["macro_f1"] = KpiRatio(f1_sum, classes);
  return out;
}

// TP/FP alert classification with "TP" (a real threat) as the positive class.
Json ClassificationKpi(const std::vector<const trust::LabelPair*>& pairs) {
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
  for (const trust::LabelPair* p : pairs) {
    const bool predicted = p->predicted == "TP", actual = p->actual == "TP";
    (predicted ? (actual ? tp : fp) : (actual ? fn : tn)) += 1;
  }
  Json precision = KpiRatio(tp, tp + fp), tpr = KpiRatio(tp, tp + fn);
  return {{"n", pairs.size()},
          {"counts", {{"tp", tp}, {"fp", fp}, {"tn", tn}, {"fn", fn}}},
          {"tpr", tpr},
          {"fpr", KpiRatio(fp, fp + tn)},
          {"precision", precision},
          {"f1", F1(precision, tpr)}};
}

Json Card(const std::string& agent, const std::string& workflow, std::int64_t from, std::int64_t to,
          const History& h) {
  auto in = [&](std::int64_t t) { return t >= from && t < to; };
  std::vector<double> containment;
  for (const Containment& c : h.containments)
    if (in(c.decided_at)) containment.push_back(c.seconds);
  std::vector<double> resolve;
  for (const Resolution& r : h.resolutions)
    if (in(r.resolved_at)) resolve.push_back(r.seconds);

  std::vector<const trust::LabelPair*> priorities, classifications;
  // Escalation quality counts the items that say both whether the agent escalated and whether
  // a human was needed.
  std::size_t escalated = 0, escalated_fp = 0, escalation_n = 0, flagged = 0, needed = 0, both = 0;
  for (const Labelled& e : h.evidence) {
    if (!in(e.time)) continue;
    const trust::Observations& o = e.observed;
    if (o.priority) priorities.push_back(&*o.priority);
    if (o.classification) classifications.push_back(&*o.classification);
    if (o.escalated && *o.escalated) {
      escalated += 1;
      if (o.classification && o.classification->actual == "FP") escalated_fp += 1;
    }
    if (o.escalated && o.escalation_needed) {
      escalation_n += 1;
      flagged += *o.escalated ? 1 : 0;
      needed += *o.escalation_needed ? 1 : 0;
      both += *o.escalated && *o.escalation_needed ? 1 : 0;
    }
  }
  Json containment_kpi = Durations(containment);
  containment_kpi["actions"] = kContainmentActions;
  return {
      {"agent", agent},
      {"workflow", workflow},
      {"from", FormatRfc3339(FromUnixMillis(from))},
      {"to", FormatRfc3339(FromUnixMillis(to))},
      {"time_to_containment", std::move(containment_kpi)},
      {"false_positive_load",
       {{"n", escalated},
        {"count", escalated > 0 ? Json(escalated_fp) : Json(nullptr)},
        {"share", KpiRatio(escalated_fp, escalated)}}},
      {"severity", SeverityKpi(priorities)},
      {"classification", ClassificationKpi(classifications)},
      {"escalation",
       {{"n", escalation_n},
        {"precision", KpiRatio(both, flagged)},
        {"recall", KpiRatio(both, needed)},
        {"time_to_resolve", Durations(resolve)}}},
  };
}

// Overlays the parts an upheld dispute corrected.
void Correct(trust::Observations& o, const trust::Observations& correction) {
  if (correction.classification) o.classification = correction.classification;
  if (correction.priority) o.priority = correction.priority;
  if (correction.escalated) o.escalated = correction.escalated;
  if (correction.escalation_needed) o.escalation_needed = correction.escalation_needed;
}

Result<trust::Evidence> EvidenceOfLeaf(const std::string& leaf_data) {
  PACTUM_ASSIGN_OR_RETURN(Json leaf, ParseJson(leaf_data));
  const Json* body = leaf.contains("body") ? &leaf["body"] : nullptr;
  if (!body || !body->contains("evidence") || !(*body)["evidence"].contains("id"))
    return Corruption("an evidence row's leaf holds no evidence");
  const Json& json = (*body)["evidence"];
  PACTUM_ASSIGN_OR_RETURN(trust::Evidence evidence, trust::EvidenceFromJson(json, 0));
  evidence.id = json["id"].get<std::string>();  // the reader leaves it to its caller
  return evidence;
}

}  // namespace

Result<Json> Service::Scorecards(const Principal& caller, const ScorecardQuery& query) {
  const std::int64_t to = UnixMillis(query.to.value_or(clock_->Now()));
  if (query.weeks && query.from)
    return InvalidArgument("weeks: cannot be combined with from", {{"field", "weeks"}});
  if (query.weeks && (*query.weeks < 1 || *query.weeks > 52))
    return InvalidArgument("weeks: must be from 1 to 52", {{"field", "weeks"}});
  const int weeks = query.weeks.value_or(1);
  const std::int64_t from = query.from ? UnixMillis(*query.from) : to - weeks * kWeekMs;
  if (from >= to) return InvalidArgument("from: must be before to", {{"field", "from"}});
  auto wanted = [&](const std::string& agent, const std::string& workflow) {
    return (!query.agent || *query.agent == agent) &&
           (!query.workflow || *query.workflow == workflow);
  };

  std::map<PairKey, History> histories;
  if (query.agent && query.workflow) histories[{*query.agent, *query.workflow}];
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    // Upheld disputes correct the items they name, whenever they were resolved.
    std::map<std::string, trust::Observations> corrections;
    store::EvidenceScan disputes;
    disputes.kinds = {"dispute_resolution"};
    PACTUM_TRY(store::ForEachEvidence(
        db, caller.tenant_id, disputes, [&](const store::EvidenceRow& row) -> Status {
          PACTUM_ASSIGN_OR_RETURN(auto d, EvidenceOfLeaf(row.leaf_data));
          if (d.dispute_upheld.value_or(false) && d.correction)
            Correct(corrections[d.disputed_evidence_id], *d.correction);
          return Status::Ok();
        }));

    store::EvidenceScan production;
    production.agent_id = query.agent;
    production.workflow = query.workflow;
    production.except_kinds = {"eval_case", "dispute_resolution"};
    production.from = from;
    production.to = to;
    PACTUM_TRY(store::ForEachEvidence(
        db, caller.tenant_id, production, [&](const store::EvidenceRow& row) -> Status {
          PACTUM_ASSIGN_OR_RETURN(auto e, EvidenceOfLeaf(row.leaf_data));
          Labelled item{e.id, row.time, std::move(e.observed)};
          if (auto c = corrections.find(item.id); c != corrections.end())
            Correct(item.observed, c->second);
          histories[{row.agent_id, row.workflow}].evidence.push_back(std::move(item));
          return Status::Ok();
        }));

    // Containment: a decision executes at once when allowed, or when its review is approved.
    PACTUM_TRY(store::ForEachLeaf(
        db, caller.tenant_name, "decision", from, to,
        [&](const store::LeafRow& decision_leaf) -> Status {
          PACTUM_ASSIGN_OR_RETURN(Json leaf, ParseJson(decision_leaf.data));
          const Json& body = leaf["body"];
          const std::string agent = body.value("agent", ""), workflow = body.value("workflow", "");
          if (!wanted(agent, workflow)) return Status::Ok();
          History& history = histories[{agent, workflow}];
          const std::string action = body.value("action", "");
          if (std::find(kContainmentActions.begin(), kContainmentActions.end(), action) ==
              kContainmentActions.end())
            return Status::Ok();
          const Json* created = nullptr;
          if (body.contains("context") && body["context"].is_object() &&
              body["context"].contains("alert_created_at"))
            created = &body["context"]["alert_created_at"];
          if (!created || !created->is_string()) return Status::Ok();
          auto alert_at = ParseRfc3339(created->get<std::string>());
          if (!alert_at.ok()) return Status::Ok();
          std::optional<std::int64_t> executed;
          const std::string decision = body.value("decision", "");
          if (decision == "allow") {
            executed = decision_leaf.time;
          } else if (decision == "escalate" && body.contains("review_id")) {
            PACTUM_ASSIGN_OR_RETURN(
                auto review,
                store::FindReview(db, caller.tenant_id, body["review_id"].get<std::string>()));
            if (review && review->status == "approved") executed = review->resolved_at;
          }
          if (!executed) return Status::Ok();
          history.containments.push_back(
              {decision_leaf.time,
               static_cast<double>(*executed - UnixMillis(*alert_at)) / 1000.0});
          return Status::Ok();
        }));

    store::EscalationFilter resolved;
    resolved.agent_id = query.agent;
    resolved.workflow = query.workflow;
    resolved.resolved_from = from;
    resolved.resolved_to = to;
    PACTUM_ASSIGN_OR_RETURN(auto reviews, store::ListEscalations(db, caller.tenant_id, resolved));
    for (const store::ReviewRow& review : reviews) {
      histories[{review.agent_id, review.workflow}].resolutions.push_back(
          {*review.resolved_at,
           static_cast<double>(*review.resolved_at - review.created_at) / 1000.0});
    }
    return Status::Ok();
  }));

  Json cards = Json::array();
  for (const auto& [key, history] : histories) {
    if (query.weeks) {
      for (int w = weeks; w >= 1; --w)
        cards.push_back(
            Card(key.first, key.second, to - w * kWeekMs, to - (w - 1) * kWeekMs, history));
    } else {
      cards.push_back(Card(key.first, key.second, from, to, history));
    }
  }
  return Json{{"from", FormatRfc3339(FromUnixMillis(from))},
              {"to", FormatRfc3339(FromUnixMillis(to))},
              {"scorecards", std::move(cards)}};
}

}  // namespace pactum::service
