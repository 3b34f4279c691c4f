#include "pactum/pact/metrics.h"

namespace pactum::pact {
namespace {

using enum MetricKind;

std::vector<MetricInfo> FixedMetrics() {
  return {
      {"classification.accuracy", kRate, "accuracy", "classification",
       "share of alerts whose TP/FP classification matches the analyst's"},
      {"classification.tpr", kRate, "accuracy", "classification",
       "of alerts the analyst labelled TP, the share the agent classified TP"},
      {"classification.fpr", kRate, "accuracy", "classification",
       "of alerts the analyst labelled FP, the share the agent classified TP"},
      {"classification.precision", kRate, "accuracy", "classification",
       "of alerts the agent classified TP, the share the analyst labelled TP"},
      {"classification.f1", kRatio, "accuracy", "classification",
       "harmonic mean of TP precision and recall over the window"},
      {"priority.accuracy", kRate, "accuracy", "priority",
       "share of alerts whose priority matches the analyst's"},
      {"priority.macro_f1", kRatio, "accuracy", "priority",
       "F1 averaged over the priority classes seen in the window"},
      {"escalation.precision", kRate, "escalation_judgment", "escalation",
       "of escalations, the share a human was needed for"},
      {"escalation.recall", kRate, "escalation_judgment", "escalation",
       "of cases that needed a human, the share escalated"},
      {"review.approval_rate", kRate, "escalation_judgment", "review",
       "of reviews resolved, the share the reviewer approved"},
      {"outcome.success_rate", kRate, "reliability", "success", "share of actions that succeeded"},
      {"latency.p50_ms", kQuantile, "latency", "latency_ms", "median latency in milliseconds", 0.5},
      {"latency.p95_ms", kQuantile, "latency", "latency_ms",
       "95th percentile latency in milliseconds", 0.95},
      {"latency.mean_ms", kMean, "latency", "latency_ms", "mean latency in milliseconds"},
      {"cost.mean_usd", kMean, "cost_efficiency", "cost_usd", "mean cost per case in US dollars"},
      {"breach.count", kCount, "safety", "kind", "breaches recorded in the window"},
      {"incident.count", kCount, "security", "kind", "incidents recorded in the window"},
      {"actions.taken", kSet, "scope_adherence", "actions", "the actions the agent took"},
      {"jury.<criterion>", kMean, "calibration", "scores",
       "mean jury score in [0,1] for a rubric criterion"},
      {"check.<name>", kRate, "reliability", "checks",
       "share of cases passing a deterministic check"},
  };
}

bool IsFamilySuffix(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

const std::vector<MetricInfo>& AllMetrics() {
  static const std::vector<MetricInfo> kMetrics = FixedMetrics();
  return kMetrics;
}

std::optional<MetricInfo> FindMetric(std::string_view name) {
  for (const MetricInfo& m : AllMetrics()) {
    if (m.name == name) {
      if (m.name.find('<') != std::string::npos) return std::nullopt;
      return m;
    }
  }
  std::string_view family;
  if (name.starts_with("jury.")) family = "jury.<criterion>";
  if (name.starts_with("check.")) family = "check.<name>";
  if (family.empty() || !IsFamilySuffix(name.substr(name.find('.') + 1))) return std::nullopt;
  for (const MetricInfo& m : AllMetrics()) {
    if (m.name == family) {
      MetricInfo member = m;
      member.name = std::string(name);
      return member;
    }
  }
  return std::nullopt;
}

const std::vector<DimensionWeight>& DefaultDimensions() {
  static const std::vector<DimensionWeight> kDimensions = {
      {"accuracy", 0.20},
      {"reliability", 0.12},
      {"safety", 0.12},
      {"security", 0.10},
      {"calibration", 0.10},
      {"scope_adherence", 0.10},
      {"escalation_judgment", 0.10},
      {"latency", 0.08},
      {"cost_efficiency", 0.08},
  };
  return kDimensions;
}

bool IsKnownDimension(std::string_view name) {
  for (const DimensionWeight& d : DefaultDimensions()) {
    if (d.name == name) return true;
  }
  return false;
}

}  // namespace pactum::pact
