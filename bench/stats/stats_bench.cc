// The stats engine's hot paths: evidence updates and score queries (the evidence → score
// budget of DESIGN §12 is ≥ 1M updates/s for the whole path), and the drift monitors.
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "pactum/stats/beta.h"
#include "pactum/stats/cusum.h"
#include "pactum/stats/sprt.h"
#include "pactum/stats/wilson.h"

namespace pactum::stats {
namespace {

constexpr double kHalfLife = 30 * 86400.0;

struct Evidence {
  double time;
  double outcome;
  double weight;
};

// Evidence a few seconds apart from 2026 on; `late` of every 100 items arrive up to a day late.
std::vector<Evidence> MakeEvidence(int late) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<Evidence> evidence(1 << 16);
  double time = 1.78e9;
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    time += 5 * uniform(rng);
    const bool is_late = static_cast<int>(rng() % 100) < late;
    evidence[i] = {is_late ? time - 86400 * uniform(rng) : time, uniform(rng) < 0.9 ? 1.0 : 0.0,
                   static_cast<double>(1 << (rng() % 3))};
  }
  return evidence;
}

void ObserveEvidence(benchmark::State& state) {
  const std::vector<Evidence> evidence = MakeEvidence(static_cast<int>(state.range(0)));
  DecayedBeta posterior = *DecayedBeta::Create(kHalfLife);
  std::size_t i = 0;
  for (auto _ : state) {
    const Evidence& e = evidence[i++ & (evidence.size() - 1)];
    benchmark::DoNotOptimize(posterior.Observe(e.time, e.outcome, e.weight).ok());
  }
  benchmark::DoNotOptimize(posterior.At(0).alpha);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(ObserveEvidence)->Arg(0)->Arg(10)->ArgName("late_percent");

// What a score read does per dimension: the posterior now, its mean and its evidence.
void PosteriorMean(benchmark::State& state) {
  const std::vector<Evidence> evidence = MakeEvidence(0);
  DecayedBeta posterior = *DecayedBeta::Create(kHalfLife);
  for (const Evidence& e : evidence)
    posterior.Observe(e.time, e.outcome, e.weight).IgnoreError();
  double now = evidence.back().time;
  for (auto _ : state) {
    const BetaPosterior at = posterior.At(now += 1);
    benchmark::DoNotOptimize(at.Mean() + at.EffectiveEvidence());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(PosteriorMean);

// The 5% quantile over posteriors from little to much evidence (ibeta_inv's cost varies).
void LowerBoundQuantile(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> evidence(0, static_cast<double>(state.range(0)));
  std::vector<BetaPosterior> posteriors(1024);
  for (BetaPosterior& p : posteriors) {
    const double n = evidence(rng);
    p = BetaPosterior{1 + 0.9 * n, 1 + 0.1 * n};
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(posteriors[i++ & 1023].LowerBound());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(LowerBoundQuantile)->Arg(20)->Arg(200)->Arg(5000)->ArgName("max_evidence");

void WilsonBound(benchmark::State& state) {
  double k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(WilsonLowerBound(k, 500).ok());
    k = k >= 500 ? 0 : k + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(WilsonBound);

std::vector<bool> MakeFailures(double rate) {
  std::mt19937_64 rng(9);
  std::bernoulli_distribution failed(rate);
  std::vector<bool> failures(1 << 16);
  for (std::size_t i = 0; i < failures.size(); ++i)
    failures[i] = failed(rng);
  return failures;
}

void CusumObserve(benchmark::State& state) {
  const std::vector<bool> failures = MakeFailures(0.01);
  BernoulliCusum chart = *BernoulliCusum::ForInControlArl(0.01, 0.02, 1000);
  std::size_t i = 0;
  for (auto _ : state) {
    const bool alarmed = chart.Observe(failures[i++ & (failures.size() - 1)]);
    benchmark::DoNotOptimize(alarmed);
    if (alarmed) chart.Reset();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(CusumObserve);

void SprtObserve(benchmark::State& state) {
  const std::vector<bool> failures = MakeFailures(0.01);
  BernoulliSprt test = *BernoulliSprt::Create(0.01, 0.02);
  std::size_t i = 0;
  for (auto _ : state) {
    if (test.Observe(failures[i++ & (failures.size() - 1)]) != BernoulliSprt::Decision::kContinue) {
      test.Reset();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(SprtObserve);

// Solving the threshold for ARL0 = 1,000 (once per condition; cacheable by p0).
void CusumSolveThreshold(benchmark::State& state) {
  const double p0 = static_cast<double>(state.range(0)) / 10000;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        BernoulliCusum::ForInControlArl(p0, DoubledFailureRate(p0), 1000).ok());
  }
}
BENCHMARK(CusumSolveThreshold)
    ->Arg(10)
    ->Arg(100)
    ->Arg(500)
    ->Arg(2000)
    ->ArgName("p0_x10000")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pactum::stats
