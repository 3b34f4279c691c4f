#include "pactum/trust/trust.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "pactum/base/clock.h"
#include "pactum/pact/metrics.h"
#include "pactum/stats/bernoulli.h"
#include "pactum/stats/beta.h"
#include "pactum/stats/cusum.h"
#include "pactum/stats/sprt.h"

namespace pactum::trust {
namespace {

using pact::Autonomy;
using pact::Consequence;
using pact::MetricKind;
using pact::Op;
using pact::Severity;
using pact::Tier;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Below this a dimension's effective evidence is rounding residue (of a withdrawal), not
// evidence: the dimension counts as unmeasured.
constexpr double kMeasuredEvidence = 1e-9;

enum class MetricId {
  kClassificationAccuracy,
  kTpr,
  kFpr,
  kPrecision,
  kF1,
  kPriorityAccuracy,
  kMacroF1,
  kEscalationPrecision,
  kEscalationRecall,
  kApprovalRate,
  kSuccessRate,
  kLatency,
  kCost,
  kBreachCount,
  kIncidentCount,
  kActions,
  kJury,
  kCheck,
};

std::optional<MetricId> IdOf(std::string_view name) {
  static const std::array<std::pair<std::string_view, MetricId>, 16> kFixed = {{
      {"classification.accuracy", MetricId::kClassificationAccuracy},
      {"classification.tpr", MetricId::kTpr},
      {"classification.fpr", MetricId::kFpr},
      {"classification.precision", MetricId::kPrecision},
      {"classification.f1", MetricId::kF1},
      {"priority.accuracy", MetricId::kPriorityAccuracy},
      {"priority.macro_f1", MetricId::kMacroF1},
      {"escalation.precision", MetricId::kEscalationPrecision},
      {"escalation.recall", MetricId::kEscalationRecall},
      {"review.approval_rate", MetricId::kApprovalRate},
      {"outcome.success_rate", MetricId::kSuccessRate},
      {"cost.mean_usd", MetricId::kCost},
      {"breach.count", MetricId::kBreachCount},
      {"incident.count", MetricId::kIncidentCount},
      {"actions.taken", MetricId::kActions},
      {"latency.mean_ms", MetricId::kLatency},
  }};
  for (const auto& [n, id] : kFixed) {
    if (n == name) return id;
  }
  if (name.starts_with("latency.")) return MetricId::kLatency;
  if (name.starts_with("jury.")) return MetricId::kJury;
  if (name.starts_with("check.")) return MetricId::kCheck;
  return std::nullopt;
}

// Whether `label` is exactly the literal `want`. Labels are compared for every metric of every
// item: std::string's own comparison with a const char* measured the literal (strlen) and
// compared out of line, a tenth of Apply's instructions; a fixed-size memcmp is inlined.
template <std::size_t N>
bool LabelIs(const std::string& label, const char (&want)[N]) {
  return label.size() == N - 1 && std::memcmp(label.data(), want, N - 1) == 0;
}

int PriorityClass(const std::string& label) {
  if (LabelIs(label, "Low")) return 0;
  if (LabelIs(label, "Medium")) return 1;
  if (LabelIs(label, "High")) return 2;
  return 3;  // Critical: EvidenceFromJson admits no other label
}

// One event of a condition's metric, read from one evidence item.
struct Sample {
  double value = 0;               // the indicator (rates), the number (means, quantiles), 1
  int predicted = 0, actual = 0;  // kRatio: the classes (classification: 0 = TP, 1 = FP)
  const std::vector<std::string>* actions = nullptr;  // kSet
};

// Whether the evidence carries an event of the metric (DESIGN §5 and pact/metrics.h say
// which evidence informs which metric), and the event.
bool Extract(MetricId metric, const std::string& key, EvidenceKind kind,
             std::optional<bool> review_approved, const Observations& o, Sample& s) {
  const auto& c = o.classification;
  switch (metric) {
    case MetricId::kClassificationAccuracy:
      if (!c) return false;
      s.value = c->predicted == c->actual;
      return true;
    case MetricId::kTpr:
      if (!c || !LabelIs(c->actual, "TP")) return false;
      s.value = LabelIs(c->predicted, "TP");
      return true;
    case MetricId::kFpr:
      if (!c || !LabelIs(c->actual, "FP")) return false;
      s.value = LabelIs(c->predicted, "TP");
      return true;
    case MetricId::kPrecision:
      if (!c || !LabelIs(c->predicted, "TP")) return false;
      s.value = LabelIs(c->actual, "TP");
      return true;
    case MetricId::kF1:
      if (!c) return false;
      s.predicted = LabelIs(c->predicted, "TP") ? 0 : 1;
      s.actual = LabelIs(c->actual, "TP") ? 0 : 1;
      s.value = s.predicted == s.actual;
      return true;
    case MetricId::kPriorityAccuracy:
      if (!o.priority) return false;
      s.value = o.priority->predicted == o.priority->actual;
      return true;
    case MetricId::kMacroF1:
      if (!o.priority) return false;
      s.predicted = PriorityClass(o.priority->predicted);
      s.actual = PriorityClass(o.priority->actual);
      s.value = s.predicted == s.actual;
      return true;
    case MetricId::kEscalationPrecision:
      if (!o.escalated || !*o.escalated || !o.escalation_needed) return false;
      s.value = *o.escalation_needed;
      return true;
    case MetricId::kEscalationRecall:
      if (!o.escalation_needed || !*o.escalation_needed || !o.escalated) return false;
      s.value = *o.escalated;
      return true;
    case MetricId::kApprovalRate:
      if (kind != EvidenceKind::kReviewResolution || !review_approved) return false;
      s.value = *review_approved;
      return true;
    case MetricId::kSuccessRate:
      if (!o.success) return false;
      s.value = *o.success;
      return true;
    case MetricId::kLatency:
      if (!o.latency_ms) return false;
      s.value = *o.latency_ms;
      return true;
    case MetricId::kCost:
      if (!o.cost_usd) return false;
      s.value = *o.cost_usd;
      return true;
    case MetricId::kBreachCount:
      if (kind != EvidenceKind::kBreach) return false;
      s.value = 1;
      return true;
    case MetricId::kIncidentCount:
      if (kind != EvidenceKind::kIncident) return false;
      s.value = 1;
      return true;
    case MetricId::kActions:
      if (o.actions.empty()) return false;
      s.actions = &o.actions;
      return true;
    case MetricId::kJury: {
      auto it = o.scores.find(key);
      if (it == o.scores.end()) return false;
      s.value = it->second;
      return true;
    }
    case MetricId::kCheck: {
      auto it = o.checks.find(key);
      if (it == o.checks.end()) return false;
      s.value = it->second;
      return true;
    }
  }
  return false;
}

bool LowerIsBetter(Op op) {
  return op == Op::kLt || op == Op::kLte;
}

// Whether a set of actions (given as a membership test) satisfies includes/excludes.
template <typename Has>
bool SetSatisfies(Op op, const std::vector<std::string>& names, Has has) {
  for (const std::string& name : names) {
    if (has(name) != (op == Op::kIncludes)) return false;
  }
  return true;
}

Json ScoreSummary(bool measured, int value, int lower_bound) {
  if (!measured) return Json{{"measured", false}};
  return Json{{"measured", true}, {"value", value}, {"lower_bound", lower_bound}};
}

std::string Rfc3339(double time) {
  return FormatRfc3339(FromUnixMillis(std::llround(time * 1000)));
}

// A condition of the pact with its window, breach state, drift chart and recovery test.
struct Monitor {
  pact::Condition condition;
  MetricId metric = MetricId::kSuccessRate;
  MetricKind kind = MetricKind::kRate;
  std::string key;  // jury criterion or check name
  double quantile = 0;
  std::size_t dimension = 0;
  double weight = 1;  // the condition's severity weight

  struct Entry {
    double time;
    double value;
    int predicted, actual;
  };
  // Window aggregates. Entries are kept only when the window is finite (to evict them).
  std::deque<Entry> entries;
  // kSet: each entry's actions, beside `entries` (other kinds keep none: an empty vector in
  // every entry of every window cost memory traffic for nothing).
  std::deque<std::vector<std::string>> entry_actions;
  double newest = -kInfinity;
  std::int64_t count = 0;
  double sum = 0;
  std::multiset<double> low, high;  // kQuantile: the rank-k smallest and the rest
  std::array<std::array<std::int64_t, 3>, 4> confusion{};  // kRatio: per class tp, fp, fn
  std::map<std::string, std::int64_t> actions;             // kSet

  std::optional<double> last_value;  // the window's statistic when last evaluated
  std::optional<bool> passing;
  bool in_breach = false;
  // Events added to the window since an evaluation last missed the threshold. A breach clears
  // only once ClearAfter() of them passed: a statistic that sits on its threshold would
  // otherwise breach and restore every few events, and autonomy would flap with it.
  std::int64_t events_since_miss = 0;
  std::int64_t ClearAfter() const { return std::max<std::int64_t>(1, condition.min_samples); }

  std::optional<stats::BernoulliCusum> chart;
  std::optional<stats::BernoulliSprt> sprt;
  bool drifting = false;

  // The per-event pass value x ∈ [0,1] the dimension receives (SCORING.md, "Dimensions").
  double PassValue(const Sample& s) const {
    const Op op = condition.op;
    switch (kind) {
      case MetricKind::kRate:
        if (op == Op::kEq || op == Op::kNeq) return pact::Compare(s.value, op, condition.threshold);
        return LowerIsBetter(op) ? 1 - s.value : s.value;
      case MetricKind::kMean:
      case MetricKind::kQuantile:
        if (metric == MetricId::kJury && op != Op::kEq && op != Op::kNeq) {
          return LowerIsBetter(op) ? 1 - s.value : s.value;
        }
        return pact::Compare(s.value, op, condition.threshold);
      case MetricKind::kRatio:
        return s.value;
      case MetricKind::kSet:
        return SetSatisfies(op, condition.names, [&](const std::string& name) {
          return std::find(s.actions->begin(), s.actions->end(), name) != s.actions->end();
        });
      case MetricKind::kCount:
        return 0;
    }
    return 0;
  }

  void Rebalance() {
    const auto n = static_cast<std::int64_t>(low.size() + high.size());
    const auto rank = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::ceil(quantile * static_cast<double>(n) - 1e-9)), 1,
        std::max<std::int64_t>(n, 1));
    while (static_cast<std::int64_t>(low.size()) > rank) {
      auto last = std::prev(low.end());
      high.insert(*last);
      low.erase(last);
    }
    while (static_cast<std::int64_t>(low.size()) < rank && !high.empty()) {
      low.insert(*high.begin());
      high.erase(high.begin());
    }
  }

  void AddToWindow(double value, int predicted, int actual, const std::vector<std::string>* taken,
                   int sign) {
    count += sign;
    switch (kind) {
      case MetricKind::kRate:
      case MetricKind::kMean:
        sum += sign * value;
        if (count == 0) sum = 0;  // no rounding residue survives an empty window
        break;
      case MetricKind::kQuantile:
        if (sign > 0) {
          (low.empty() || value <= *low.rbegin() ? low : high).insert(value);
        } else if (!low.empty() && value <= *low.rbegin()) {
          low.erase(low.find(value));
        } else {
          high.erase(high.find(value));
        }
        Rebalance();
        break;
      case MetricKind::kRatio:
        if (predicted == actual) {
          confusion[static_cast<std::size_t>(actual)][0] += sign;
        } else {
          confusion[static_cast<std::size_t>(predicted)][1] += sign;
          confusion[static_cast<std::size_t>(actual)][2] += sign;
        }
        break;
      case MetricKind::kSet:
        for (const std::string& a : *taken) {
          auto it = actions.emplace(a, 0).first;
          it->second += sign;
          if (it->second == 0) actions.erase(it);
        }
        break;
      case MetricKind::kCount:
        break;
    }
  }

  // Adds the event to the window (unless it is older than the window) and evicts what fell out.
  void Observe(double time, const Sample& s) {
    if (condition.window_seconds > 0) {
      const auto window = static_cast<double>(condition.window_seconds);
      if (time < newest - window) return;
      newest = std::max(newest, time);
      const bool set = kind == MetricKind::kSet;
      entries.push_back(Entry{time, s.value, s.predicted, s.actual});
      if (set) entry_actions.push_back(s.actions ? *s.actions : std::vector<std::string>{});
      AddToWindow(s.value, s.predicted, s.actual, s.actions, +1);
      ++events_since_miss;
      while (!entries.empty() && entries.front().time < newest - window) {
        const Entry& e = entries.front();
        AddToWindow(e.value, e.predicted, e.actual, set ? &entry_actions.front() : nullptr, -1);
        entries.pop_front();
        if (set) entry_actions.pop_front();
      }
    } else {
      newest = std::max(newest, time);
      AddToWindow(s.value, s.predicted, s.actual, s.actions, +1);
      ++events_since_miss;
    }
  }

  // The window's statistic, when it is defined (an F1 with no positive case is not).
  std::optional<double> Statistic() const {
    if (count == 0) return std::nullopt;
    switch (kind) {
      case MetricKind::kRate:
      case MetricKind::kMean:
        return sum / static_cast<double>(count);
      case MetricKind::kQuantile:
        return *low.rbegin();
      case MetricKind::kRatio: {
        const std::size_t classes = metric == MetricId::kF1 ? 1 : confusion.size();
        double total = 0;
        int seen = 0;
        for (std::size_t c = 0; c < classes; ++c) {
          const auto& [tp, fp, fn] = confusion[c];
          if (tp + fp + fn == 0) continue;
          total += 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
          ++seen;
        }
        if (seen == 0) return std::nullopt;
        return total / seen;
      }
      case MetricKind::kCount:
        return static_cast<double>(count);
      case MetricKind::kSet:
        return 1.0 * SetSatisfies(condition.op, condition.names,
                                  [&](const std::string& name) { return actions.contains(name); });
    }
    return std::nullopt;
  }

  bool Passes(double statistic) const {
    if (kind == MetricKind::kSet) return statistic == 1;
    return pact::Compare(statistic, condition.op, condition.threshold);
  }

  Json ThresholdJson() const {
    if (kind == MetricKind::kSet) return condition.names;
    return condition.threshold;
  }

  bool SameCondition(const pact::Condition& other) const {
    return condition.id == other.id && condition.metric == other.metric &&
           condition.op == other.op && condition.threshold == other.threshold &&
           condition.names == other.names && condition.window_seconds == other.window_seconds;
  }
};

// A dimension's posterior summary as a score uses it.
struct DimensionView {
  double mean = 0.5, lower_bound = 0, n = 0;
  bool measured = false;
};

DimensionView ExactView(const stats::DecayedBeta& beta, double time) {
  const stats::BetaPosterior posterior = beta.At(time);
  DimensionView view;
  view.n = posterior.EffectiveEvidence();
  view.measured = view.n > kMeasuredEvidence;
  view.mean = posterior.Mean();
  view.lower_bound = posterior.LowerBound();
  return view;
}

// Apply's lower bounds (SCORING.md "Scores in Apply"). A Beta quantile costs microseconds,
// and one item moves a posterior with much evidence very little. So the quantile is computed
// (FastQuantile) only when the posterior's mean or standard deviation moved more than
// kRequantile since it last was; in between, that quantile is shifted by the change of the
// normal approximation μ − z·σ, whose error over such a small move is far below the scores'
// 0.001 resolution.
struct QuantileCache {
  double mean = -1, sd = 0;  // where the quantile was last computed (mean −1: never)
  double quantile = 0;
};

constexpr double kRequantile = 1e-4;
constexpr double kZ95 = 1.6448536269514722;  // the standard normal's 95% quantile

DimensionView FastView(const stats::DecayedBeta& beta, double time, QuantileCache& cache) {
  const stats::BetaPosterior posterior = beta.At(time);
  DimensionView view;
  view.n = posterior.EffectiveEvidence();
  view.measured = view.n > kMeasuredEvidence;
  view.mean = posterior.Mean();
  const double sd = std::sqrt(view.mean * (1 - view.mean) / (posterior.alpha + posterior.beta + 1));
  if (std::fabs(view.mean - cache.mean) + kZ95 * std::fabs(sd - cache.sd) > kRequantile) {
    cache = QuantileCache{view.mean, sd,
                          posterior.FastQuantile(stats::BetaPosterior::kLowerBoundProbability)};
    view.lower_bound = cache.quantile;
  } else {
    const double shift = (view.mean - cache.mean) - kZ95 * (sd - cache.sd);
    view.lower_bound = std::clamp(cache.quantile + shift, 0.0, view.mean);
  }
  return view;
}

// One side of the dual score: a posterior per dimension, and the view Apply keeps of it.
struct Side {
  std::vector<stats::DecayedBeta> dimensions;
  std::vector<DimensionView> views;  // refreshed for the dimensions an item touches
  std::vector<QuantileCache> quantiles;
  Score reported;  // the score last reported by score.changed
};

// What one evidence item added to one dimension, to withdraw it exactly on an upheld dispute.
struct Added {
  std::size_t dimension;
  double alpha, beta;
};

struct AppliedItem {
  double time = 0;
  std::uint64_t epoch = 0;  // capability epoch (fingerprint) it was added in
  // Its contributions: added_pool[first, first + count) of the state (one pool, not a vector
  // per item: an item is applied a million times a second and disputed rarely).
  std::uint64_t first = 0;
  std::uint64_t id_offset = 0;  // where IdArena keeps its id
  std::uint32_t id_size = 0;
  std::uint32_t count = 0;
  EvidenceKind kind = EvidenceKind::kProductionOutcome;
  std::optional<Severity> severity;
  std::optional<bool> review_approved;
  bool capability = false;
  bool withdrawn = false;
};

// The ids of applied items, one after another in blocks that never move (a string that grew
// would copy them all, see Run below). An id is found by the offset Append gave.
class IdArena {
 public:
  std::uint64_t Append(std::string_view id) {
    if (capacity_ - used_ < id.size()) {  // an id longer than a block gets one of its own
      capacity_ = std::max(kBlock, id.size());
      blocks_.push_back(std::make_unique<char[]>(capacity_));
      used_ = 0;
    }
    std::memcpy(blocks_.back().get() + used_, id.data(), id.size());
    const std::uint64_t offset = (std::uint64_t{blocks_.size() - 1} << 32) | used_;
    used_ += id.size();
    return offset;
  }
  std::string_view At(std::uint64_t offset, std::size_t size) const {
    return std::string_view(blocks_[offset >> 32].get() + (offset & 0xFFFFFFFF), size);
  }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t capacity_ = 0, used_ = 0;  // of the last block
};

// The applied items by id, for disputes. Every item is indexed and few are ever disputed, so
// this is built for insertion. Ids are UUIDv7s the service mints in item order, so nearly every
// id is larger than all before it: items are kept in runs of increasing id, in the order they
// came, where a new id is told new by comparing it with each run's last, and found by binary
// search. Requests in flight together interleave their ids, so an id can be smaller than the
// last applied; it then extends the run whose last id is the largest below it, or starts a new
// run (one per request that was in flight together, in practice). Past kMaxRuns, ids go to an
// open-addressing table of 64-bit hashes (linear probing, at most half full) instead: ids in
// no order cost what a hash table of every id did, whose look-up missed the caches and the TLB
// on each insertion and was the costliest step of Apply (docs/PERFORMANCE.md "Trust"). Items and
// ids are stored in blocks, so none is ever copied and nothing is allocated per item.
class AppliedIndex {
 public:
  // The item with this id, if any; valid until the next Insert.
  AppliedItem* Find(std::string_view id) {
    std::uint64_t hash = 0;
    if (!out_of_order_.empty()) {  // its slot loads while the runs are searched
      hash = Hash(id);
      __builtin_prefetch(&slots_[hash & mask_]);
    }
    for (Run& run : runs_) {
      if (id > IdOf(run.back())) continue;  // larger than all in the run
      // Galloping back from the end: an id looked up in a run other than for a dispute is new,
      // interleaved with the run's last few, and those are in the caches.
      std::size_t hi = run.size() - 1, lo = 0;  // IdOf(run[hi]) ≥ id
      for (std::size_t step = 1; step <= hi; step *= 2) {
        if (IdOf(run[hi - step]) < id) {
          lo = hi - step + 1;
          break;
        }
        hi -= step;
      }
      auto it = std::lower_bound(run.begin() + static_cast<std::ptrdiff_t>(lo),
                                 run.begin() + static_cast<std::ptrdiff_t>(hi), id,
                                 [&](const AppliedItem& a, auto b) { return IdOf(a) < b; });
      if (IdOf(*it) == id) return &*it;
    }
    return out_of_order_.empty() ? nullptr : FindOutOfOrder(id, hash);
  }
  // Adds an item under an id Find does not know.
  void Insert(std::string_view id, AppliedItem item) {
    item.id_offset = ids_.Append(id);
    item.id_size = static_cast<std::uint32_t>(id.size());
    Run* fit = nullptr;  // the run whose last id is the largest below id
    for (Run& run : runs_) {
      if (IdOf(run.back()) < id && (!fit || IdOf(fit->back()) < IdOf(run.back()))) fit = &run;
    }
    if (!fit && runs_.size() < kMaxRuns) fit = &runs_.emplace_back();
    if (fit) {
      fit->push_back(item);
      return;
    }
    if (2 * (out_of_order_.size() + 1) > slots_.size()) Grow();
    out_of_order_.push_back(item);
    Place(Hash(id), out_of_order_.size());
  }

 private:
  static constexpr std::size_t kMaxRuns = 8;
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t item = 0;  // index into out_of_order_ + 1; 0: empty
  };

  static std::uint64_t Hash(std::string_view id) { return std::hash<std::string_view>{}(id); }
  std::string_view IdOf(const AppliedItem& item) const {
    return ids_.At(item.id_offset, item.id_size);
  }
  AppliedItem* FindOutOfOrder(std::string_view id, std::uint64_t hash) {
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.item == 0) return nullptr;
      AppliedItem& item = out_of_order_[slot.item - 1];
      if (slot.hash == hash && IdOf(item) == id) return &item;
    }
  }
  void Place(std::uint64_t hash, std::size_t item) {
    std::size_t i = hash & mask_;
    while (slots_[i].item != 0)
      i = (i + 1) & mask_;
    slots_[i] = Slot{hash, item};
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, 2 * old.size()), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.item != 0) Place(slot.hash, slot.item);
    }
  }

  // Deques, not vectors: growing never copies what a run holds. With millions of items a
  // vector's doubling copied hundreds of MB in one Apply, while the trust book was locked.
  using Run = std::deque<AppliedItem>;
  std::vector<Run> runs_;  // each never empty, its ids increasing
  std::deque<AppliedItem> out_of_order_;
  std::vector<Slot> slots_;  // a power of two in size
  std::size_t mask_ = 0;
  IdArena ids_;
};

// What caused an event: an evidence item or a fingerprint change (and, in a condition's
// events, the condition).
struct Cause {
  std::string_view key;  // "evidence_id" or "fingerprint"
  const std::string& value;

  Json ToJson(const std::string* condition = nullptr) const {
    Json cause = Json::object();
    if (!value.empty()) cause[std::string(key)] = value;
    if (condition) cause["condition"] = *condition;
    return cause;
  }
};

struct ActiveConsequence {
  std::string condition;
  bool from_drift = false;
  Consequence action = Consequence::kNone;
};

// The drift chart for (p0, p1, target ARL): found once per process. Finding h solves a few
// dozen Brook–Evans systems (milliseconds), and every agent under a pact needs the same
// charts; a chart is a value, so the cached one is copied out fresh (S = 0).
Result<stats::BernoulliCusum> DriftChart(double p0, double p1, double target_arl0) {
  static std::mutex mu;
  static std::map<std::tuple<double, double, double>, stats::BernoulliCusum> charts;
  const auto key = std::make_tuple(p0, p1, target_arl0);
  {
    std::lock_guard lock(mu);
    if (auto it = charts.find(key); it != charts.end()) return it->second;
  }
  PACTUM_ASSIGN_OR_RETURN(stats::BernoulliCusum chart,
                          stats::BernoulliCusum::ForInControlArl(p0, p1, target_arl0));
  std::lock_guard lock(mu);
  // Pacts have a handful of distinct thresholds; the bound only guards against churn.
  if (charts.size() >= 4096) charts.clear();
  charts.emplace(key, chart);
  return chart;
}

Result<TrustConfig> Completed(TrustConfig config) {
  const TrustConfig defaults = TrustConfig::Default();
  if (config.dimension_weights.empty()) config.dimension_weights = defaults.dimension_weights;
  if (config.tiers.empty()) config.tiers = defaults.tiers;
  auto fail = [](const std::string& field, const std::string& what) {
    return InvalidArgument("config." + field + ": " + what, {{"field", "config." + field}});
  };
  if (!(config.half_life_seconds > 0 && std::isfinite(config.half_life_seconds))) {
    return fail("half_life_seconds", "must be finite and positive");
  }
  double total = 0;
  for (const auto& [name, weight] : config.dimension_weights) {
    if (!(weight >= 0 && std::isfinite(weight))) {
      return fail("dimension_weights." + name, "must be finite and ≥ 0");
    }
    total += weight;
  }
  if (!(total > 0)) return fail("dimension_weights", "must have a positive weight");
  if (!(config.failure_weight > 0 && std::isfinite(config.failure_weight))) {
    return fail("failure_weight", "must be finite and positive");
  }
  for (Severity s : {Severity::kInfo, Severity::kMinor, Severity::kMajor, Severity::kCritical}) {
    auto it = config.severity_weights.find(s);
    if (it == config.severity_weights.end() || !(it->second >= 0 && it->second <= 1e6)) {
      return fail("severity_weights." + std::string(pact::NameOf(s)), "must be in [0, 1e6]");
    }
  }
  if (!(config.confidence_k > 0 && std::isfinite(config.confidence_k))) {
    return fail("confidence_k", "must be finite and positive");
  }
  if (!(config.target_arl0 >= 1 && std::isfinite(config.target_arl0))) {
    return fail("target_arl0", "must be finite and at least 1");
  }
  if (!(config.sprt_alpha > 0 && config.sprt_beta > 0 &&
        config.sprt_alpha + config.sprt_beta < 1)) {
    return fail("sprt_alpha", "α and β must be in (0, 1) with α + β < 1");
  }
  if (config.score_event_step < 1) return fail("score_event_step", "must be at least 1");
  if (!(config.hysteresis >= 0 && config.hysteresis < config.divergence)) {
    return fail("hysteresis", "must be ≥ 0 and below divergence");
  }
  std::sort(config.tiers.begin(), config.tiers.end(),
            [](const TierRule& a, const TierRule& b) { return a.tier > b.tier; });
  return config;
}

}  // namespace

TrustConfig TrustConfig::Default() {
  TrustConfig config;
  for (const pact::DimensionWeight& d : pact::DefaultDimensions()) {
    config.dimension_weights[d.name] = d.weight;
  }
  config.tiers = {{Tier::kPlatinum, 900, 200},
                  {Tier::kGold, 750, 100},
                  {Tier::kSilver, 600, 50},
                  {Tier::kBronze, 400, 20}};
  return config;
}

struct AgentTrust::State {
  pact::Pact pact;
  TrustConfig config;
  std::vector<std::string> dimension_names;
  std::vector<double> dimension_weights;
  std::array<double, 4> severity_weights{};
  std::vector<Monitor> monitors;
  Side capability, reputation;

  AppliedIndex applied;
  std::string fingerprint;
  std::uint64_t epoch = 0;
  bool fresh = true;

  // The last Snapshot, given again for the same time until the state changes (every mutator
  // forgets it): decide asks for the snapshot at the current millisecond, often many times in
  // one, and each costs a dozen Beta quantiles. Readers may share the state, hence the lock.
  mutable std::mutex snapshot_mu;
  mutable std::optional<std::pair<double, TrustSnapshot>> last_snapshot;
  void ForgetSnapshot() {
    std::lock_guard lock(snapshot_mu);
    last_snapshot.reset();
  }

  std::vector<ActiveConsequence> active;
  std::deque<ConsequenceRecord> recent;
  Tier reported_tier = Tier::kUnrated;
  bool diverged = false;

  std::deque<Added> added_pool;  // every applied item's contributions, in order (see Run)

  // Scratch reused per item: the outcomes collected per dimension (Σx, count, largest
  // weight) and the dimensions touched on each side.
  std::vector<double> x_sum, weight_max;
  std::vector<int> x_count;
  std::vector<bool> cap_touched, rep_touched;

  std::optional<std::size_t> DimensionIndex(std::string_view name) const {
    for (std::size_t i = 0; i < dimension_names.size(); ++i) {
      if (dimension_names[i] == name) return i;
    }
    return std::nullopt;
  }

  double SeverityWeight(Severity s) const { return severity_weights[static_cast<std::size_t>(s)]; }

  Result<std::vector<Monitor>> BuildMonitors(const pact::Pact& p) const {
    std::vector<Monitor> built;
    for (std::size_t i = 0; i < p.conditions.size(); ++i) {
      const pact::Condition& c = p.conditions[i];
      const std::string field = "conditions[" + std::to_string(i) + "]";
      const std::optional<pact::MetricInfo> info = pact::FindMetric(c.metric);
      const auto id = IdOf(c.metric);
      if (!info || !id) {
        return InvalidArgument(field + ".metric: unknown metric \"" + c.metric + "\"",
                               {{"field", field + ".metric"}});
      }
      const std::string& dimension = c.dimension.empty() ? info->default_dimension : c.dimension;
      const auto index = DimensionIndex(dimension);
      if (!index) {
        return InvalidArgument(field + ".dimension: \"" + dimension + "\" is not a trust dimension",
                               {{"field", field + ".dimension"}});
      }
      if (c.window_seconds < 0 || c.min_samples < 0) {
        return InvalidArgument(field + ": window and min_samples must be ≥ 0",
                               {{"field", field + ".window_seconds"}});
      }
      Monitor m;
      m.condition = c;
      m.metric = *id;
      m.kind = info->kind;
      m.quantile = info->quantile;
      if (*id == MetricId::kJury || *id == MetricId::kCheck)
        m.key = c.metric.substr(c.metric.find('.') + 1);
      m.dimension = *index;
      m.weight = SeverityWeight(c.severity);
      if (m.kind == MetricKind::kRate && c.op != Op::kEq && c.op != Op::kNeq &&
          c.op != Op::kIncludes && c.op != Op::kExcludes) {
        // p0: the failure rate the condition allows, floored so that a condition allowing no
        // failure still has a chart (one that alarms at its first failure).
        const double allowed = LowerIsBetter(c.op) ? c.threshold : 1 - c.threshold;
        const double p0 = std::max(allowed, 1 / config.target_arl0);
        if (p0 < 1) {
          const double p1 = stats::DriftFailureRate(p0);
          auto chart = DriftChart(p0, p1, config.target_arl0);
          if (!chart.ok()) return chart.status().WithContext(field);
          auto sprt = stats::BernoulliSprt::Create(p0, p1, config.sprt_alpha, config.sprt_beta);
          if (!sprt.ok()) return sprt.status().WithContext(field);
          m.chart = std::move(*chart);
          m.sprt = std::move(*sprt);
        }
      }
      built.push_back(std::move(m));
    }
    return built;
  }

  // --- scores ---

  // The score over the views; `detailed` also lists the dimensions (Apply needs only the
  // totals, and nine names copied per item would cost more than the rest of the update).
  Score Combine(const std::vector<DimensionView>& views, bool detailed = true) const {
    Score score;
    double total_weight = 0;
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (views[i].measured) total_weight += dimension_weights[i];
    }
    double value = 0, lower_bound = 0, n = 0;
    if (detailed) score.dimensions.reserve(views.size());
    for (std::size_t i = 0; i < views.size(); ++i) {
      const DimensionView& view = views[i];
      double weight = 0;
      if (view.measured && total_weight > 0) {
        weight = dimension_weights[i] / total_weight;
        value += weight * view.mean;
        lower_bound += weight * view.lower_bound;
        n += weight * view.n;
      }
      if (detailed) {
        DimensionScore& d = score.dimensions.emplace_back();
        d.name = dimension_names[i];
        d.measured = view.measured;
        d.mean = view.mean;
        d.lower_bound = view.lower_bound;
        d.n = view.n;
        d.weight = weight;
      }
    }
    score.measured = total_weight > 0;
    if (!score.measured) return score;
    score.value = static_cast<int>(std::lround(1000 * value));
    score.lower_bound = static_cast<int>(std::lround(1000 * lower_bound));
    score.n = n;
    score.confidence = n / (n + config.confidence_k);
    for (const TierRule& rule : config.tiers) {
      // Rising above the agent's tier takes a margin; holding it or falling does not.
      const int margin = rule.tier > reported_tier ? config.hysteresis : 0;
      if (score.lower_bound >= rule.min_lower_bound + margin && score.n >= rule.min_evidence) {
        score.tier = rule.tier;
        break;
      }
    }
    return score;
  }

  std::vector<DimensionView> ExactViews(const Side& side, double time) const {
    std::vector<DimensionView> views;
    views.reserve(side.dimensions.size());
    for (const stats::DecayedBeta& d : side.dimensions)
      views.push_back(ExactView(d, time));
    return views;
  }

  Tier AgentTier(const Score& cap, const Score& rep) const {
    if (!fresh || (!cap.measured && !rep.measured)) return Tier::kUnrated;
    if (!cap.measured) return rep.tier;
    if (!rep.measured) return cap.tier;
    return std::min(cap.tier, rep.tier);
  }

  Autonomy BaseAutonomy(Tier tier) const {
    auto it = pact.autonomy.find(tier);
    return it == pact.autonomy.end() ? pact::DefaultAutonomy(tier) : it->second;
  }

  Autonomy AutonomyFor(Tier tier) const {
    int level = static_cast<int>(BaseAutonomy(tier));
    for (const ActiveConsequence& a : active) {
      if (a.action == Consequence::kSuspend) return Autonomy::kSuspended;
      if (a.action == Consequence::kNarrow) --level;
    }
    return static_cast<Autonomy>(std::max(level, static_cast<int>(Autonomy::kSuspended)));
  }

  // --- contributions ---

  // Collects the item's outcomes per dimension into the scratch (SCORING.md "Dimensions").
  // Fails, before anything changed, for an outcome naming an unknown dimension.
  Status Collect(EvidenceKind kind, std::optional<bool> review_approved, const Observations& o) {
    std::fill(x_sum.begin(), x_sum.end(), 0.0);
    std::fill(weight_max.begin(), weight_max.end(), 0.0);
    std::fill(x_count.begin(), x_count.end(), 0);
    auto add = [&](std::size_t d, double x, double w) {
      x_sum[d] += x;
      ++x_count[d];
      weight_max[d] = std::max(weight_max[d], w);
    };
    for (const Monitor& m : monitors) {
      Sample s;
      if (Extract(m.metric, m.key, kind, review_approved, o, s)) {
        add(m.dimension, m.PassValue(s), m.weight);
      }
    }
    const double outcome_weight = SeverityWeight(Severity::kMinor);
    for (const auto& [name, x] : o.outcomes) {
      const auto d = DimensionIndex(name);
      if (!d) {
        return InvalidArgument("outcomes." + name + ": not a trust dimension",
                               {{"field", "outcomes." + name}});
      }
      add(*d, x, outcome_weight);
    }
    const bool breach = kind == EvidenceKind::kBreach, incident = kind == EvidenceKind::kIncident;
    if ((breach || incident) && o.outcomes.empty()) {
      if (auto d = DimensionIndex(breach ? "safety" : "security")) {
        add(*d, 0, SeverityWeight(Severity::kMajor));
      }
    }
    if (kind == EvidenceKind::kReviewResolution && review_approved) {
      if (auto d = DimensionIndex("escalation_judgment")) add(*d, *review_approved ? 1 : 0, 0);
    }
    return Status::Ok();
  }

  // Adds the collected outcomes at `time` (evidence severity, when given, overriding every
  // weight), records what was added in the item when it is `indexed` (an item without an id
  // cannot be disputed, so what it added is never looked at) and marks the touched dimensions.
  void AddCollected(bool capability_side, double time, std::optional<Severity> severity,
                    bool indexed, AppliedItem& item, std::vector<bool>& touched) {
    Side& side = capability_side ? capability : reputation;
    const double lambda = capability_side ? 1.0 : config.failure_weight;
    item.first = added_pool.size();
    for (std::size_t d = 0; d < x_count.size(); ++d) {
      if (x_count[d] == 0) continue;
      const double x = x_sum[d] / x_count[d];
      // A review with no condition reading it weighs as minor evidence.
      double w = weight_max[d] > 0 ? weight_max[d] : SeverityWeight(Severity::kMinor);
      if (severity) w = SeverityWeight(*severity);
      if (w <= 0) continue;
      const double a = w * x, b = lambda * w * (1 - x);
      // Time and amounts were validated: Add cannot fail here.
      side.dimensions[d].Add(time, a, b).IgnoreError();
      if (indexed) added_pool.push_back(Added{d, a, b});
      touched[d] = true;
    }
    item.count = static_cast<std::uint32_t>(added_pool.size() - item.first);
  }

  // --- events ---

  void RecordConsequence(double time, Consequence action, Autonomy from, Autonomy to,
                         const Json& cause, const std::string& reason,
                         std::vector<TrustEvent>* events) {
    recent.push_back(ConsequenceRecord{time, action, from, to, cause});
    while (recent.size() > config.recent_consequences)
      recent.pop_front();
    if (events) {
      events->push_back(TrustEvent{"consequence.applied", time,
                                   Json{{"action", pact::NameOf(action)},
                                        {"from", pact::NameOf(from)},
                                        {"to", pact::NameOf(to)},
                                        {"reason", reason},
                                        {"cause", cause}}});
    }
  }

  void Impose(double time, const std::string& condition, bool from_drift, Consequence action,
              Tier tier, const Json& cause, std::vector<TrustEvent>* events) {
    if (action == Consequence::kNone) return;
    const Autonomy from = AutonomyFor(tier);
    if (action == Consequence::kNarrow || action == Consequence::kSuspend) {
      active.push_back(ActiveConsequence{condition, from_drift, action});
    }
    RecordConsequence(time, action, from, AutonomyFor(tier), cause, from_drift ? "drift" : "breach",
                      events);
  }

  void Lift(double time, const std::string& condition, bool from_drift, Tier tier,
            const Json& cause, std::vector<TrustEvent>* events) {
    const Autonomy from = AutonomyFor(tier);
    const auto removed = std::erase_if(active, [&](const ActiveConsequence& a) {
      return a.condition == condition && a.from_drift == from_drift;
    });
    if (removed == 0) return;
    RecordConsequence(time, Consequence::kRestore, from, AutonomyFor(tier), cause,
                      from_drift ? "drift" : "breach", events);
  }

  void Watch(Monitor& m, double time, const Sample& s, const Cause& evidence_cause, Tier tier,
             std::vector<TrustEvent>* events) {
    m.Observe(time, s);
    // Built only when an event needs it: most events change nothing.
    Json cause;
    auto caused = [&]() -> const Json& {
      if (cause.is_null()) cause = evidence_cause.ToJson(&m.condition.id);
      return cause;
    };
    if (m.count >= m.condition.min_samples) {
      if (auto statistic = m.Statistic()) {
        m.last_value = statistic;
        m.passing = m.Passes(*statistic);
        if (!*m.passing) m.events_since_miss = 0;
        if (!*m.passing && !m.in_breach) {
          m.in_breach = true;
          events->push_back(TrustEvent{"pact.breached", time,
                                       Json{{"condition", m.condition.id},
                                            {"metric", m.condition.metric},
                                            {"op", pact::NameOf(m.condition.op)},
                                            {"threshold", m.ThresholdJson()},
                                            {"value", *statistic},
                                            {"samples", m.count},
                                            {"severity", pact::NameOf(m.condition.severity)},
                                            {"cause", caused()}}});
          auto it = pact.consequences.find(m.condition.severity);
          const Consequence action = it == pact.consequences.end()
                                         ? pact::DefaultConsequence(m.condition.severity)
                                         : it->second;
          Impose(time, m.condition.id, false, action, tier, caused(), events);
        } else if (*m.passing && m.in_breach && m.events_since_miss >= m.ClearAfter()) {
          m.in_breach = false;
          Lift(time, m.condition.id, false, tier, caused(), events);
        }
      }
    }
    if (!m.chart) return;
    const bool failure = m.PassValue(s) == 0;
    if (!m.drifting) {
      if (m.chart->Observe(failure)) {
        m.drifting = true;
        m.sprt->Reset();
        events->push_back(TrustEvent{"trust.drift_detected", time,
                                     Json{{"condition", m.condition.id},
                                          {"statistic", m.chart->statistic()},
                                          {"h", m.chart->threshold()},
                                          {"p0", m.chart->p0()},
                                          {"p1", m.chart->p1()},
                                          {"cause", caused()}}});
        Impose(time, m.condition.id, true, Consequence::kNarrow, tier, caused(), events);
      }
      return;
    }
    switch (m.sprt->Observe(failure)) {
      case stats::BernoulliSprt::Decision::kAcceptH0:
        m.drifting = false;
        m.chart->Reset();
        m.sprt->Reset();
        Lift(time, m.condition.id, true, tier, caused(), events);
        break;
      case stats::BernoulliSprt::Decision::kAcceptH1:
        m.sprt->Reset();
        break;
      case stats::BernoulliSprt::Decision::kContinue:
        break;
    }
  }

  // Reports a score that moved at least score_event_step (or became (un)measured) since last.
  void ReportScore(const char* name, Side& side, const Score& now, double time, const Cause& cause,
                   std::vector<TrustEvent>* events) {
    const Score& was = side.reported;
    const int step = config.score_event_step;
    const bool moved = was.measured != now.measured ||
                       (now.measured && (std::abs(now.value - was.value) >= step ||
                                         std::abs(now.lower_bound - was.lower_bound) >= step));
    if (!moved) return;
    if (events) {
      events->push_back(
          TrustEvent{"score.changed", time,
                     Json{{"score", name},
                          {"old", ScoreSummary(was.measured, was.value, was.lower_bound)},
                          {"new", ScoreSummary(now.measured, now.value, now.lower_bound)},
                          {"cause", cause.ToJson()}}});
    }
    side.reported.measured = now.measured;
    side.reported.value = now.value;
    side.reported.lower_bound = now.lower_bound;
  }

  void ReportTier(Tier tier, double time, const Cause& cause, std::vector<TrustEvent>* events) {
    if (tier == reported_tier) return;
    if (events) {
      events->push_back(TrustEvent{"tier.changed", time,
                                   Json{{"from", pact::NameOf(reported_tier)},
                                        {"to", pact::NameOf(tier)},
                                        {"autonomy",
                                         {{"from", pact::NameOf(AutonomyFor(reported_tier))},
                                          {"to", pact::NameOf(AutonomyFor(tier))}}},
                                        {"cause", cause.ToJson()}}});
    }
    reported_tier = tier;
  }

  void ReportDivergence(const Score& cap, const Score& rep, double time, const Cause& cause,
                        std::vector<TrustEvent>* events) {
    const bool measured = cap.measured && rep.measured;
    const int gap = std::abs(cap.value - rep.value);
    // Apart from `divergence` on; together again only below it by the hysteresis.
    const bool apart =
        measured && gap >= (diverged ? config.divergence - config.hysteresis : config.divergence);
    if (apart && !diverged && events) {
      events->push_back(TrustEvent{"score.diverged", time,
                                   Json{{"capability", cap.value},
                                        {"reputation", rep.value},
                                        {"difference", cap.value - rep.value},
                                        {"divergence", config.divergence},
                                        {"cause", cause.ToJson()}}});
    }
    diverged = apart;
  }

  // Refreshes the touched dimensions' views at `time` and returns both scores as Apply sees
  // them (SCORING.md "Scores in Apply").
  std::pair<Score, Score> RefreshViews(double time) {
    for (std::size_t d = 0; d < cap_touched.size(); ++d) {
      if (cap_touched[d]) {
        capability.views[d] = FastView(capability.dimensions[d], time, capability.quantiles[d]);
      }
      if (rep_touched[d]) {
        reputation.views[d] = FastView(reputation.dimensions[d], time, reputation.quantiles[d]);
      }
    }
    return {Combine(capability.views, false), Combine(reputation.views, false)};
  }
};

namespace {

Status CheckRanges(const Observations& o, const std::string& prefix) {
  auto fail = [&](const std::string& field, const char* what) {
    return InvalidArgument(prefix + field + ": " + what, {{"field", prefix + field}});
  };
  for (const auto& [name, value] :
       {std::pair{"latency_ms", o.latency_ms}, std::pair{"cost_usd", o.cost_usd}}) {
    if (value && !(*value >= 0 && std::isfinite(*value))) {
      return fail(name, "must be a finite number ≥ 0");
    }
  }
  for (const auto* part : {&o.scores, &o.outcomes}) {
    for (const auto& [name, x] : *part) {
      if (!(x >= 0 && x <= 1)) {
        std::string field = part == &o.scores ? "scores." : "outcomes.";
        field += name;
        return fail(field, "must be a number in [0, 1]");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

AgentTrust::AgentTrust(std::unique_ptr<State> state) : state_(std::move(state)) {}
AgentTrust::AgentTrust(AgentTrust&&) noexcept = default;
AgentTrust& AgentTrust::operator=(AgentTrust&&) noexcept = default;
AgentTrust::~AgentTrust() = default;

Result<AgentTrust> AgentTrust::Create(const pact::Pact& pact, const TrustConfig& config) {
  auto state = std::make_unique<State>();
  PACTUM_ASSIGN_OR_RETURN(state->config, Completed(config));
  state->pact = pact;
  // DESIGN §5's order first, then any further configured dimension.
  for (const pact::DimensionWeight& d : pact::DefaultDimensions()) {
    auto it = state->config.dimension_weights.find(d.name);
    if (it == state->config.dimension_weights.end()) continue;
    state->dimension_names.push_back(d.name);
    state->dimension_weights.push_back(it->second);
  }
  for (const auto& [name, weight] : state->config.dimension_weights) {
    if (!pact::IsKnownDimension(name)) {
      state->dimension_names.push_back(name);
      state->dimension_weights.push_back(weight);
    }
  }
  for (Severity s : {Severity::kInfo, Severity::kMinor, Severity::kMajor, Severity::kCritical}) {
    state->severity_weights[static_cast<std::size_t>(s)] = state->config.severity_weights.at(s);
  }
  const std::size_t dims = state->dimension_names.size();
  for (Side* side : {&state->capability, &state->reputation}) {
    for (std::size_t i = 0; i < dims; ++i) {
      PACTUM_ASSIGN_OR_RETURN(auto beta,
                              stats::DecayedBeta::Create(state->config.half_life_seconds));
      side->dimensions.push_back(std::move(beta));
    }
    side->views.assign(dims, DimensionView{});
    side->quantiles.assign(dims, QuantileCache{});
  }
  state->x_sum.assign(dims, 0);
  state->weight_max.assign(dims, 0);
  state->x_count.assign(dims, 0);
  PACTUM_ASSIGN_OR_RETURN(state->monitors, state->BuildMonitors(pact));
  return AgentTrust(std::move(state));
}

const pact::Pact& AgentTrust::pact() const {
  return state_->pact;
}

Status AgentTrust::Apply(const Evidence& evidence, std::vector<TrustEvent>* events) {
  State& s = *state_;
  s.ForgetSnapshot();
  if (evidence.workflow != s.pact.workflow) {
    return InvalidArgument("workflow: the evidence is for \"" + evidence.workflow +
                               "\", this trust state for \"" + s.pact.workflow + "\"",
                           {{"field", "workflow"}});
  }
  if (!std::isfinite(evidence.time) ||
      !(std::fabs(evidence.time / s.config.half_life_seconds) < 4e15)) {
    return InvalidArgument("time: must be finite", {{"field", "time"}});
  }
  // Evidence built in code skips EvidenceFromJson: the ranges the math relies on again.
  PACTUM_TRY(CheckRanges(evidence.observed, ""));
  if (evidence.correction) PACTUM_TRY(CheckRanges(*evidence.correction, "dispute.correction."));
  if (!evidence.id.empty() && s.applied.Find(evidence.id)) {
    return AlreadyExists("evidence " + evidence.id + " was already applied", {{"field", "id"}});
  }
  std::vector<TrustEvent> local;
  std::vector<TrustEvent>* out = events ? events : &local;
  const Cause cause{"evidence_id", evidence.id};
  std::vector<bool>& cap_touched = s.cap_touched;
  std::vector<bool>& rep_touched = s.rep_touched;
  cap_touched.assign(s.dimension_names.size(), false);
  rep_touched.assign(s.dimension_names.size(), false);

  AppliedItem item;
  item.kind = evidence.kind;
  item.severity = evidence.severity;
  item.review_approved = evidence.review_approved;
  if (evidence.kind == EvidenceKind::kDisputeResolution) {
    AppliedItem* found = s.applied.Find(evidence.disputed_evidence_id);
    if (!found) {
      return NotFound("dispute.evidence_id: no applied evidence " + evidence.disputed_evidence_id,
                      {{"field", "dispute.evidence_id"}});
    }
    AppliedItem& disputed = *found;
    if (evidence.dispute_upheld.value_or(false)) {
      if (disputed.withdrawn) {
        return Conflict("dispute.evidence_id: evidence " + evidence.disputed_evidence_id +
                            " was already withdrawn by an upheld dispute",
                        {{"field", "dispute.evidence_id"}});
      }
      // A capability item from before a fingerprint change is no longer in the posterior
      // (stale evidence): neither it nor its correction counts.
      const bool current = !disputed.capability || disputed.epoch == s.epoch;
      if (current && evidence.correction) {
        PACTUM_TRY(s.Collect(disputed.kind, disputed.review_approved, *evidence.correction));
      } else {
        std::fill(s.x_count.begin(), s.x_count.end(), 0);
      }
      Side& side = disputed.capability ? s.capability : s.reputation;
      auto& touched = disputed.capability ? cap_touched : rep_touched;
      if (current) {
        for (std::size_t i = disputed.first; i < disputed.first + disputed.count; ++i) {
          const Added& a = s.added_pool[i];
          side.dimensions[a.dimension].Withdraw(disputed.time, a.alpha, a.beta).IgnoreError();
          touched[a.dimension] = true;
        }
      }
      disputed.withdrawn = true;
      item.time = disputed.time;
      item.capability = disputed.capability;
      item.epoch = disputed.epoch;
      item.kind = disputed.kind;
      item.review_approved = disputed.review_approved;
      item.severity = evidence.severity ? evidence.severity : disputed.severity;
      s.AddCollected(disputed.capability, disputed.time, item.severity, !evidence.id.empty(), item,
                     touched);
    }
    // A rejected dispute is recorded (and may be referred to) but changes no score.
  } else {
    PACTUM_TRY(s.Collect(evidence.kind, evidence.review_approved, evidence.observed));
    item.time = evidence.time;
    item.capability = IsCapabilityEvidence(evidence);
    item.epoch = s.epoch;
    s.AddCollected(item.capability, evidence.time, evidence.severity, !evidence.id.empty(), item,
                   item.capability ? cap_touched : rep_touched);
  }
  if (!evidence.id.empty()) s.applied.Insert(evidence.id, item);

  auto [cap, rep] = s.RefreshViews(evidence.time);
  if (!s.fresh && cap.measured && cap.n >= s.config.fresh_after_evidence) s.fresh = true;
  const Tier tier = s.AgentTier(cap, rep);
  s.ReportScore("capability", s.capability, cap, evidence.time, cause, out);
  s.ReportScore("reputation", s.reputation, rep, evidence.time, cause, out);
  s.ReportTier(tier, evidence.time, cause, out);
  s.ReportDivergence(cap, rep, evidence.time, cause, out);

  // Windows, breaches and drift watch production behaviour (SCORING.md "Windows").
  if (!IsCapabilityEvidence(evidence) && evidence.kind != EvidenceKind::kDisputeResolution) {
    for (Monitor& m : s.monitors) {
      Sample sample;
      if (Extract(m.metric, m.key, evidence.kind, evidence.review_approved, evidence.observed,
                  sample)) {
        s.Watch(m, evidence.time, sample, cause, tier, out);
      }
    }
  }
  return Status::Ok();
}

void AgentTrust::FingerprintChanged(double time, const std::string& fingerprint,
                                    std::vector<TrustEvent>* events) {
  State& s = *state_;
  if (fingerprint == s.fingerprint) return;
  s.ForgetSnapshot();
  if (s.fingerprint.empty()) {
    // The first fingerprint known is the agent's own: its evidence was earned by it.
    s.fingerprint = fingerprint;
    return;
  }
  const Cause cause{"fingerprint", fingerprint};
  if (events) {
    events->push_back(
        TrustEvent{"agent.fingerprint_changed", time,
                   Json{{"from", s.fingerprint}, {"to", fingerprint}, {"cause", cause.ToJson()}}});
  }
  s.fingerprint = fingerprint;
  ++s.epoch;
  for (auto& d : s.capability.dimensions) {
    d = std::move(*stats::DecayedBeta::Create(s.config.half_life_seconds));
  }
  s.capability.views.assign(s.dimension_names.size(), DimensionView{});
  s.capability.quantiles.assign(s.dimension_names.size(), QuantileCache{});
  s.fresh = s.config.fresh_after_evidence <= 0;
  const Score cap = s.Combine(s.capability.views, false);
  const Score rep = s.Combine(s.reputation.views, false);
  s.ReportScore("capability", s.capability, cap, time, cause, events);
  s.ReportTier(s.AgentTier(cap, rep), time, cause, events);
  s.ReportDivergence(cap, rep, time, cause, events);
}

Status AgentTrust::Rebind(const pact::Pact& pact) {
  State& s = *state_;
  s.ForgetSnapshot();
  if (pact.workflow != s.pact.workflow) {
    return InvalidArgument("workflow: the pact is for \"" + pact.workflow +
                               "\", this trust state for \"" + s.pact.workflow + "\"",
                           {{"field", "workflow"}});
  }
  PACTUM_ASSIGN_OR_RETURN(std::vector<Monitor> monitors, s.BuildMonitors(pact));
  for (Monitor& m : monitors) {
    for (Monitor& old : s.monitors) {
      if (old.SameCondition(m.condition)) {
        const double weight = m.weight;
        const std::size_t dimension = m.dimension;
        const pact::Condition condition = m.condition;
        m = std::move(old);
        // Severity and dimension may change without touching the window.
        m.weight = weight;
        m.dimension = dimension;
        m.condition = condition;
        break;
      }
    }
  }
  // Consequences of conditions that are gone or changed could never be restored.
  std::erase_if(s.active, [&](const ActiveConsequence& a) {
    return std::none_of(monitors.begin(), monitors.end(), [&](const Monitor& m) {
      return m.condition.id == a.condition && (a.from_drift ? m.drifting : m.in_breach);
    });
  });
  s.monitors = std::move(monitors);
  s.pact = pact;
  return Status::Ok();
}

TrustSnapshot AgentTrust::Snapshot(double time) const {
  const State& s = *state_;
  {
    std::lock_guard lock(s.snapshot_mu);
    if (s.last_snapshot && s.last_snapshot->first == time) return s.last_snapshot->second;
  }
  TrustSnapshot snap;
  snap.capability = s.Combine(s.ExactViews(s.capability, time));
  snap.reputation = s.Combine(s.ExactViews(s.reputation, time));
  snap.tier = s.AgentTier(snap.capability, snap.reputation);
  snap.autonomy = s.AutonomyFor(snap.tier);
  snap.drifting = std::any_of(s.monitors.begin(), s.monitors.end(),
                              [](const Monitor& m) { return m.drifting; });
  snap.fingerprint_fresh = s.fresh;
  std::lock_guard lock(s.snapshot_mu);
  s.last_snapshot.emplace(time, snap);
  return snap;
}

namespace {

Json ScoreJson(const Score& score) {
  Json dimensions = Json::array(), unmeasured = Json::array();
  for (const DimensionScore& d : score.dimensions) {
    dimensions.push_back(Json{{"name", d.name},
                              {"weight", d.weight},
                              {"mean", d.mean},
                              {"lower_bound", d.lower_bound},
                              {"n", d.n},
                              {"measured", d.measured}});
    if (!d.measured) unmeasured.push_back(d.name);
  }
  Json out = {{"measured", score.measured},          {"tier", pact::NameOf(score.tier)},
              {"confidence", score.confidence},      {"n", score.n},
              {"dimensions", std::move(dimensions)}, {"unmeasured", std::move(unmeasured)}};
  out["score"] = score.measured ? Json(score.value) : Json(nullptr);
  out["lower_bound"] = score.measured ? Json(score.lower_bound) : Json(nullptr);
  return out;
}

}  // namespace

Json AgentTrust::Explain(double time) const {
  const State& s = *state_;
  const TrustSnapshot snap = Snapshot(time);
  Json conditions = Json::array();
  for (const Monitor& m : s.monitors) {
    Json c = {{"id", m.condition.id},
              {"metric", m.condition.metric},
              {"op", pact::NameOf(m.condition.op)},
              {"threshold", m.ThresholdJson()},
              {"window_seconds", m.condition.window_seconds},
              {"min_samples", m.condition.min_samples},
              {"dimension", s.dimension_names[m.dimension]},
              {"samples", m.count},
              {"in_breach", m.in_breach}};
    c["value"] = m.last_value ? Json(*m.last_value) : Json(nullptr);
    c["passing"] = m.passing ? Json(*m.passing) : Json(nullptr);
    // In breach, how many more events must pass before it clears.
    c["events_to_clear"] =
        m.in_breach ? Json(std::max<std::int64_t>(0, m.ClearAfter() - m.events_since_miss))
                    : Json(nullptr);
    if (m.chart) {
      c["drift"] = {{"statistic", m.chart->statistic()},
                    {"threshold", m.chart->threshold()},
                    {"alarmed", m.drifting},
                    {"p0", m.chart->p0()},
                    {"p1", m.chart->p1()},
                    {"sprt", m.drifting ? Json{{"llr", m.sprt->log_likelihood_ratio()},
                                               {"events", m.sprt->events()}}
                                        : Json(nullptr)}};
    } else {
      c["drift"] = nullptr;
    }
    conditions.push_back(std::move(c));
  }
  Json active = Json::array();
  for (const ActiveConsequence& a : s.active) {
    active.push_back(Json{{"action", pact::NameOf(a.action)},
                          {"condition", a.condition},
                          {"reason", a.from_drift ? "drift" : "breach"}});
  }
  Json recent = Json::array();
  for (auto it = s.recent.rbegin(); it != s.recent.rend(); ++it) {
    recent.push_back(Json{{"time", Rfc3339(it->time)},
                          {"action", pact::NameOf(it->action)},
                          {"from", pact::NameOf(it->from)},
                          {"to", pact::NameOf(it->to)},
                          {"cause", it->cause}});
  }
  return Json{{"workflow", s.pact.workflow},
              {"pact", {{"name", s.pact.name}, {"version", s.pact.version}}},
              {"as_of", Rfc3339(time)},
              {"capability", ScoreJson(snap.capability)},
              {"reputation", ScoreJson(snap.reputation)},
              {"tier", pact::NameOf(snap.tier)},
              {"autonomy", pact::NameOf(snap.autonomy)},
              {"base_autonomy", pact::NameOf(s.BaseAutonomy(snap.tier))},
              {"drifting", snap.drifting},
              {"fingerprint_fresh", snap.fingerprint_fresh},
              {"conditions", std::move(conditions)},
              {"active_consequences", std::move(active)},
              {"recent_consequences", std::move(recent)}};
}

}  // namespace pactum::trust
