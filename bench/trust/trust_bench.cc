// Evidence → score updates in memory (AgentTrust::Apply: dimensions, lower bounds, windows,
// breaches, drift charts, events) under a SOC triage pact of four conditions, and the cost of
// the exact Snapshot and Explain. The bar (DESIGN §12) is ≥ 1,000,000 updates/s.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "pactum/pact/pact.h"
#include "pactum/trust/evidence.h"
#include "pactum/trust/trust.h"

namespace pactum::trust {
namespace {

constexpr double kT0 = 1'790'000'000;
constexpr double kSecondsBetween = 10;  // ~8,600 alerts a day for one agent

pact::Condition Cond(std::string id, std::string metric, pact::Op op, double threshold,
                     pact::Severity severity, std::int64_t window, std::int64_t min_samples) {
  pact::Condition c;
  c.id = std::move(id);
  c.metric = std::move(metric);
  c.op = op;
  c.threshold = threshold;
  c.severity = severity;
  c.window_seconds = window;
  c.min_samples = min_samples;
  return c;
}

// Four conditions on the classification and priority every triage outcome carries; with
// `latency`, a fifth: the 1-day p95 latency (a quantile window, O(log n) per event).
pact::Pact SocPact(bool latency) {
  pact::Pact p;
  p.name = "alert-triage";
  p.version = 4;
  p.workflow = "alert_triage";
  p.agents = {"triage-*"};
  p.owner = "soc-l2";
  const std::int64_t week = 7 * 86400;
  p.conditions = {
      Cond("tp-recall", "classification.tpr", pact::Op::kGte, 0.9, pact::Severity::kCritical, week,
           30),
      Cond("fp-rate", "classification.fpr", pact::Op::kLte, 0.3, pact::Severity::kMajor, week, 30),
      Cond("priority", "priority.accuracy", pact::Op::kGte, 0.7, pact::Severity::kMajor, week, 30),
      Cond("priority-f1", "priority.macro_f1", pact::Op::kGte, 0.6, pact::Severity::kMinor, week,
           30),
  };
  if (latency) {
    p.conditions.push_back(Cond("latency", "latency.p95_ms", pact::Op::kLte, 30000,
                                pact::Severity::kMinor, 86400, 30));
  }
  return p;
}

// Production outcomes of a good agent (95% TP recall, 10% FP rate, 85% priority accuracy).
std::vector<Evidence> MakeEvidence() {
  std::mt19937_64 rng(42);
  std::bernoulli_distribution is_tp(0.4), recall(0.95), fp(0.1), priority(0.85);
  std::lognormal_distribution<double> latency(8, 0.6);
  std::uniform_int_distribution<int> cls(0, 3);
  const char* kPriorities[] = {"Low", "Medium", "High", "Critical"};
  std::vector<Evidence> evidence(4096);
  for (Evidence& e : evidence) {
    e.id = "0190a5b4-7c1e-7000-8000-000000000000";
    e.kind = EvidenceKind::kProductionOutcome;
    e.agent = "triage-1";
    e.workflow = "alert_triage";
    const bool tp = is_tp(rng);
    const bool says_tp = tp ? recall(rng) : fp(rng);
    e.observed.classification = LabelPair{says_tp ? "TP" : "FP", tp ? "TP" : "FP"};
    const int actual = cls(rng);
    e.observed.priority =
        LabelPair{kPriorities[priority(rng) ? actual : (actual + 1) % 4], kPriorities[actual]};
    e.observed.latency_ms = latency(rng);
  }
  return evidence;
}

// A prime, so coprime with 10^12: n * kScramble mod 10^12 visits ids in no order, once each.
constexpr std::uint64_t kScramble = 999'999'999'989;

// Writes n into the id's last 12 digits, as a stored UUIDv7 would differ.
void SetId(std::string& id, std::uint64_t n) {
  char digits[12];
  for (int i = 11; i >= 0; --i, n /= 10)
    digits[i] = static_cast<char>('0' + n % 10);
  id.replace(id.size() - 12, 12, digits, 12);
}

void BM_Apply(benchmark::State& state) {
  auto trust = AgentTrust::Create(SocPact(state.range(0) != 0), TrustConfig::Default());
  // dispute_index 1: ids increase, as the service mints them (UUIDv7 in item order); 3: as two
  // requests of 500 items in flight together make them, minted interleaved and applied one
  // request after the other; 2: ids in no order, which the index keeps in a hash table; 0: items
  // without an id, not indexed for disputes, which isolates the index's cost.
  const std::int64_t index = state.range(1);
  if (!trust.ok()) {
    state.SkipWithError(trust.status().ToString().c_str());
    return;
  }
  std::vector<Evidence> evidence = MakeEvidence();
  std::vector<TrustEvent> events;
  std::uint64_t n = 0;
  std::size_t emitted = 0;
  for (auto _ : state) {
    Evidence& e = evidence[n % evidence.size()];
    if (index == 1) {
      SetId(e.id, n);
    } else if (index == 3) {
      const std::uint64_t j = n % 1000;
      SetId(e.id, n - j + (j < 500 ? 2 * j : 2 * (j - 500) + 1));
    } else if (index == 2) {
      // A bijection on 12 digits; n * kScramble fits 64 bits while n < 18M (a run is 2M).
      SetId(e.id, n * kScramble % 1'000'000'000'000);
    } else {
      e.id.clear();
    }
    e.time = kT0 + kSecondsBetween * static_cast<double>(n);
    ++n;
    events.clear();
    if (!trust->Apply(e, &events).ok()) state.SkipWithError("Apply failed");
    emitted += events.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_item"] =
      static_cast<double>(emitted) / static_cast<double>(std::max<std::uint64_t>(n, 1));
}
BENCHMARK(BM_Apply)
    ->ArgNames({"latency_p95", "dispute_index"})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 3})
    ->Args({0, 2})
    ->Iterations(2'000'000);

// The slowest single Apply over 4,000,000 items of one agent: the trust book is locked while
// it runs, so a slow one holds every decision. (Each Apply is timed, so the rate here is a
// little below BM_Apply's.)
void BM_ApplySlowest(benchmark::State& state) {
  auto trust = AgentTrust::Create(SocPact(false), TrustConfig::Default());
  if (!trust.ok()) {
    state.SkipWithError(trust.status().ToString().c_str());
    return;
  }
  std::vector<Evidence> evidence = MakeEvidence();
  std::uint64_t n = 0;
  double slowest = 0;
  for (auto _ : state) {
    Evidence& e = evidence[n % evidence.size()];
    SetId(e.id, n);
    e.time = kT0 + kSecondsBetween * static_cast<double>(n);
    ++n;
    const auto start = std::chrono::steady_clock::now();
    if (!trust->Apply(e, nullptr).ok()) state.SkipWithError("Apply failed");
    slowest = std::max(
        slowest, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["slowest_ms"] = slowest * 1e3;
}
BENCHMARK(BM_ApplySlowest)->Iterations(4'000'000);

// An agent with 100,000 items of history, queried at a later time.
AgentTrust WithHistory() {
  auto trust = AgentTrust::Create(SocPact(true), TrustConfig::Default());
  std::vector<Evidence> evidence = MakeEvidence();
  for (std::uint64_t n = 0; n < 100'000; ++n) {
    Evidence& e = evidence[n % evidence.size()];
    SetId(e.id, n);
    e.time = kT0 + kSecondsBetween * static_cast<double>(n);
    trust->Apply(e, nullptr).IgnoreError();
  }
  return std::move(trust).value();
}

void BM_Snapshot(benchmark::State& state) {
  const AgentTrust trust = WithHistory();
  double time = kT0 + 1e6;
  for (auto _ : state) {
    benchmark::DoNotOptimize(trust.Snapshot(time));
    time += 1;  // a new query time: nothing cached helps
  }
}
BENCHMARK(BM_Snapshot);

void BM_Explain(benchmark::State& state) {
  const AgentTrust trust = WithHistory();
  double time = kT0 + 1e6;
  for (auto _ : state) {
    benchmark::DoNotOptimize(trust.Explain(time).size());
    time += 1;
  }
}
BENCHMARK(BM_Explain);

}  // namespace
}  // namespace pactum::trust
