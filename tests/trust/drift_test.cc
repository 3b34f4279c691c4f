// The drift chart in simulation, through AgentTrust: how soon it alarms after the failure rate
// doubles, and how rarely without a change, against the chart's exact ARL (stats/cusum.h).
// The measured numbers are recorded in docs/SCORING.md.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/stats/bernoulli.h"
#include "pactum/stats/cusum.h"
#include "pactum/trust/trust.h"

#include "trust_test_util.h"

namespace pactum::trust {
namespace {

using namespace testing;  // NOLINT: the shared builders

struct RunLengths {
  double mean = 0;
  int censored = 0;  // runs stopped at the cap without an alarm
};

// Events until trust.drift_detected, averaged over runs of a fresh agent whose true positives
// are missed with probability `miss_rate`, under a condition allowing `allowed` misses.
RunLengths Simulate(double allowed, double miss_rate, int runs, std::uint64_t seed, int cap) {
  const pact::Pact pact = MakePact({Cond("tpr", "classification.tpr", pact::Op::kGte, 1 - allowed,
                                         pact::Severity::kMajor, 0, 1'000'000'000)});
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution miss(miss_rate);
  RunLengths result;
  double total = 0;
  std::vector<TrustEvent> events;
  for (int run = 0; run < runs; ++run) {
    AgentTrust trust = MakeTrust(pact);
    int n = 0;
    bool alarmed = false;
    while (!alarmed && n < cap) {
      events.clear();
      EXPECT_TRUE(trust.Apply(TruePositive(Id("e", n), kT0 + n, !miss(rng)), &events).ok());
      ++n;
      for (const TrustEvent& e : events)
        alarmed = alarmed || e.type == "trust.drift_detected";
    }
    result.censored += !alarmed;
    total += n;
  }
  result.mean = total / runs;
  return result;
}

stats::BernoulliCusum ChartFor(double allowed) {
  const double p0 = std::max(allowed, 1 / TrustConfig::Default().target_arl0);
  auto chart = stats::BernoulliCusum::ForInControlArl(p0, stats::DriftFailureRate(p0),
                                                      TrustConfig::Default().target_arl0);
  EXPECT_TRUE(chart.ok()) << chart.status().ToString();
  return *chart;
}

// A run length is roughly geometric (standard deviation ≤ its mean), so the mean of `runs`
// runs lies within 4 standard errors, mean·4/√runs, of the exact ARL but with probability
// ~6e-5; the seeds are fixed, so the test cannot flake either way.
double Tolerance(double arl, int runs) {
  return 4 * arl / std::sqrt(static_cast<double>(runs));
}

TEST(Drift, AlarmsSoonAfterTheFailureRateDoubles) {
  for (double allowed : {0.1, 0.3, 0.6}) {
    const stats::BernoulliCusum chart = ChartFor(allowed);
    auto arl1 = chart.AverageRunLength(chart.p1());
    ASSERT_TRUE(arl1.ok());
    constexpr int kRuns = 300;
    const RunLengths measured = Simulate(allowed, chart.p1(), kRuns, 42, 100'000);
    std::cout << "p0=" << chart.p0() << " p1=" << chart.p1() << " h=" << chart.threshold()
              << " ARL1 exact=" << *arl1 << " simulated=" << measured.mean << " (" << kRuns
              << " runs)\n";
    EXPECT_EQ(measured.censored, 0);
    EXPECT_NEAR(measured.mean, *arl1, Tolerance(*arl1, kRuns)) << "p0 " << allowed;
  }
}

TEST(Drift, RarelyAlarmsWithoutAChange) {
  const stats::BernoulliCusum chart = ChartFor(0.1);
  auto arl0 = chart.AverageRunLength(chart.p0());
  ASSERT_TRUE(arl0.ok());
  EXPECT_GE(*arl0, 1000);
  constexpr int kRuns = 200;
  const RunLengths measured = Simulate(0.1, chart.p0(), kRuns, 4242, 100'000);
  std::cout << "p0=" << chart.p0() << " h=" << chart.threshold() << " ARL0 exact=" << *arl0
            << " simulated=" << measured.mean << " (" << kRuns << " runs)\n";
  EXPECT_EQ(measured.censored, 0);
  EXPECT_NEAR(measured.mean, *arl0, Tolerance(*arl0, kRuns));
}

// The chart AgentTrust runs is the one the formulas give (Explain reports it).
TEST(Drift, ExplainReportsTheChart) {
  for (double allowed : {0.0, 0.05, 0.5}) {
    AgentTrust trust =
        MakeTrust(MakePact({Cond("tpr", "classification.tpr", pact::Op::kGte, 1 - allowed)}));
    const stats::BernoulliCusum chart = ChartFor(1 - (1 - allowed));
    const Json drift = trust.Explain(kT0).at("conditions")[0].at("drift");
    EXPECT_DOUBLE_EQ(drift.at("p0").get<double>(), chart.p0());
    EXPECT_DOUBLE_EQ(drift.at("p1").get<double>(), chart.p1());
    EXPECT_DOUBLE_EQ(drift.at("threshold").get<double>(), chart.threshold());
  }
}

}  // namespace
}  // namespace pactum::trust
