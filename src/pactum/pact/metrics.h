// The metrics a pact condition may name (DESIGN §4), and how each is measured from evidence.
//
// A metric is measured over the evidence in a condition's window. Its kind says how:
//   kRate     a per-event indicator (0 or 1), averaged; only some evidence carries it (TPR only
//             counts alerts the analyst labelled TP). Conditions on rates are Bernoulli: they
//             also run the drift chart of DESIGN §5.
//   kMean     a per-event number, averaged (jury scores in [0,1], cost).
//   kQuantile a per-event number, whose quantile over the window is compared (latency p95).
//   kRatio    a statistic of the whole window that is not a mean of events (F1, macro F1).
//   kCount    the number of events of a kind in the window (breaches, incidents).
//   kSet      a per-event set of names; the condition is `includes`/`excludes` a name or list.
// Two families are open-ended: `jury.<criterion>` (kMean over the evidence's jury scores) and
// `check.<name>` (kRate over its deterministic checks); criterion and check names are
// [a-z0-9_]+ and must not be empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pactum::pact {

enum class MetricKind { kRate, kMean, kQuantile, kRatio, kCount, kSet };

struct MetricInfo {
  std::string name;  // as written in the pact, e.g. "classification.tpr"
  MetricKind kind;
  std::string default_dimension;  // the trust dimension a condition scores unless it says
  std::string evidence_field;     // the evidence field it is read from
  std::string description;        // one line, for lint messages and docs
  // kQuantile: the quantile in (0,1) (0.95 for p95).
  double quantile = 0;
};

// The metric of that name, or nothing if there is none. For the open families the info is
// built for the name asked (so its `name` is the full name). Returned by value: names come
// from users' pacts, and nothing is kept per name asked.
std::optional<MetricInfo> FindMetric(std::string_view name);

// Every fixed metric (the open families once each, as "jury.<criterion>", "check.<name>").
const std::vector<MetricInfo>& AllMetrics();

// The default trust dimensions and weights of DESIGN §5, in that order.
struct DimensionWeight {
  std::string name;
  double weight;
};
const std::vector<DimensionWeight>& DefaultDimensions();
bool IsKnownDimension(std::string_view name);

}  // namespace pactum::pact
