#include "pactum/stats/cusum.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "nonfinite.h"

namespace pactum::stats {
namespace {

using testing::kInfinity;
using testing::kNaN;

constexpr double kTargetArl = 1000;

BernoulliCusum Solved(double p0) {
  auto chart = BernoulliCusum::ForInControlArl(p0, DoubledFailureRate(p0), kTargetArl);
  EXPECT_TRUE(chart.ok()) << chart.status().ToString();
  return *chart;
}

double Arl(const BernoulliCusum& chart, double failure_rate) {
  auto arl = chart.AverageRunLength(failure_rate);
  EXPECT_TRUE(arl.ok()) << arl.status().ToString();
  return arl.ok() ? *arl : kNaN;
}

// Mean events until the alarm over `runs` runs from S = 0, events failing with `rate`.
double SimulatedRunLength(BernoulliCusum chart, double rate, int runs, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0, 1);
  double total = 0;
  for (int run = 0; run < runs; ++run) {
    chart.Reset();
    std::int64_t events = 1;
    while (!chart.Observe(uniform(rng) < rate))
      ++events;
    total += static_cast<double>(events);
  }
  return total / runs;
}

// p0 = 1/3 against p1 = 2/3 makes a failure add ln 2 and a success subtract ln 2: a random
// walk held at 0. At failure rate 1/2 its expected time to reach H steps is H·(H + 1).
TEST(BernoulliCusum, ArlOfASymmetricWalkMatchesItsClosedForm) {
  for (int steps = 1; steps <= 60; ++steps) {
    auto chart = BernoulliCusum::Create(1.0 / 3, 2.0 / 3, steps * std::log(2.0));
    ASSERT_TRUE(chart.ok());
    EXPECT_NEAR(chart->threshold(), steps * std::log(2.0), 1e-12);
    EXPECT_NEAR(Arl(*chart, 0.5), steps * (steps + 1.0), 1e-9 * steps * steps) << steps;
  }
  // Two steps at any rate p: L(0) = (1 + p) / p².
  auto chart = BernoulliCusum::Create(1.0 / 3, 2.0 / 3, 2 * std::log(2.0));
  for (double p : {0.01, 0.2, 1.0 / 3, 0.9}) {
    EXPECT_NEAR(Arl(*chart, p), (1 + p) / (p * p), 1e-9 / (p * p)) << p;
  }
}

// Σ_t P(no alarm in the first t events), from the exact distribution of the chart's states.
// Each state is held as a copy of the chart itself in that state (indexed by its statistic in
// grid units), so this checks the Markov chain behind AverageRunLength against Observe.
double PropagatedRunLength(const BernoulliCusum& start, double rate) {
  const auto units = [&](const BernoulliCusum& chart) {
    return static_cast<std::size_t>(std::llround(chart.statistic() / start.resolution()));
  };
  const auto states =
      static_cast<std::size_t>(std::llround(start.threshold() / start.resolution()));
  std::vector<std::optional<BernoulliCusum>> charts(states);
  std::vector<double> mass(states, 0.0);
  charts[0] = start;
  mass[0] = 1;
  double arl = 0;
  for (double surviving = 1; surviving > 1e-11;) {
    arl += surviving;
    std::vector<double> next(states, 0.0);
    for (std::size_t i = 0; i < states; ++i) {
      if (mass[i] == 0) continue;
      for (const bool failure : {true, false}) {
        BernoulliCusum chart = *charts[i];
        if (chart.Observe(failure)) continue;
        const std::size_t j = units(chart);
        if (!charts[j]) charts[j] = chart;
        next[j] += mass[i] * (failure ? rate : 1 - rate);
      }
    }
    mass = std::move(next);
    surviving = 0;
    for (double m : mass)
      surviving += m;
  }
  return arl;
}

TEST(BernoulliCusum, ArlMatchesTheChartsExactStateDistribution) {
  const struct {
    double p0, threshold;
  } charts[] = {{0.1, 1.5}, {0.05, 1.5}, {0.3, 3}, {0.02, 1.2}, {0.45, 4}};
  for (const auto& c : charts) {
    auto chart = BernoulliCusum::Create(c.p0, DoubledFailureRate(c.p0), c.threshold);
    ASSERT_TRUE(chart.ok());
    for (double rate : {c.p0, DoubledFailureRate(c.p0), std::min(1.0, 3 * c.p0)}) {
      const double exact = Arl(*chart, rate);
      EXPECT_NEAR(PropagatedRunLength(*chart, rate), exact, 1e-8 * exact)
          << c.p0 << " h=" << c.threshold << " rate=" << rate;
    }
  }
}

TEST(BernoulliCusum, SolvedThresholdMeetsTheTargetWithTheNextLowerMissingIt) {
  for (double p0 : {0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.49}) {
    const BernoulliCusum chart = Solved(p0);
    const double arl0 = Arl(chart, p0);
    EXPECT_GE(arl0, kTargetArl) << p0;
    EXPECT_LT(arl0, 1.6 * kTargetArl) << p0;
    // The threshold is the smallest that meets the target: one grid unit less misses it.
    auto lower = BernoulliCusum::Create(p0, chart.p1(), chart.threshold() - chart.resolution());
    ASSERT_TRUE(lower.ok());
    EXPECT_LT(lower->threshold(), chart.threshold());
    EXPECT_LT(Arl(*lower, p0), kTargetArl) << p0;
    // Recreating the chart from its threshold gives the same chart.
    auto again = BernoulliCusum::Create(p0, chart.p1(), chart.threshold());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->threshold(), chart.threshold());
    EXPECT_EQ(Arl(*again, p0), arl0);
    // Detection is faster than false alarms, and faster still for worse rates.
    EXPECT_LT(Arl(chart, chart.p1()), arl0 / 2) << p0;
    EXPECT_LT(Arl(chart, std::min(1.0, 3 * p0)), Arl(chart, chart.p1())) << p0;
  }
}

TEST(BernoulliCusum, InControlRunLengthInSimulationIsNearOneThousand) {
  std::mt19937_64 rng(1000);
  for (double p0 : {0.01, 0.05, 0.2}) {
    const BernoulliCusum chart = Solved(p0);
    const double exact = Arl(chart, p0);
    // 2,000 runs: the run length is roughly geometric, so the mean has a 2.2% standard error.
    const double simulated = SimulatedRunLength(chart, p0, 2000, rng);
    EXPECT_NEAR(simulated, exact, 0.09 * exact) << p0;
    EXPECT_NEAR(simulated, kTargetArl, 0.1 * kTargetArl) << p0;
  }
}

TEST(BernoulliCusum, DetectsADoubledFailureRateWithinABoundedDelay) {
  std::mt19937_64 rng(2000);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (double p0 : {0.01, 0.05, 0.2, 0.5}) {
    BernoulliCusum chart = Solved(p0);
    const double arl1 = Arl(chart, chart.p1());
    EXPECT_NEAR(SimulatedRunLength(chart, chart.p1(), 2000, rng), arl1, 0.1 * arl1) << p0;
    // The rate doubles after 300 in-control events; runs with a false alarm before that are
    // skipped. Starting from S ≥ 0 can only alarm sooner than from 0.
    double total_delay = 0;
    int detections = 0;
    for (int run = 0; run < 2000; ++run) {
      chart.Reset();
      bool false_alarm = false;
      for (int i = 0; i < 300 && !false_alarm; ++i)
        false_alarm = chart.Observe(uniform(rng) < p0);
      if (false_alarm) continue;
      std::int64_t delay = 1;
      while (!chart.Observe(uniform(rng) < chart.p1()))
        ++delay;
      ASSERT_LT(delay, 30 * arl1) << p0;
      total_delay += static_cast<double>(delay);
      ++detections;
    }
    ASSERT_GT(detections, 1000);
    EXPECT_LT(total_delay / detections, 1.1 * arl1) << p0;
  }
}

TEST(BernoulliCusum, StatisticFollowsTheLogLikelihoodRatio) {
  const double p0 = 0.05, p1 = 0.1;
  auto chart = BernoulliCusum::Create(p0, p1, 3);
  ASSERT_TRUE(chart.ok());
  EXPECT_FALSE(chart->Observe(false));
  EXPECT_EQ(chart->statistic(), 0);  // held at 0
  EXPECT_FALSE(chart->Observe(true));
  const double failure = std::log(p1 / p0), success = std::log((1 - p1) / (1 - p0));
  EXPECT_NEAR(chart->statistic(), failure, 1e-3 * failure);
  EXPECT_FALSE(chart->Observe(false));
  EXPECT_NEAR(chart->statistic(), failure + success, 1e-3 * failure);
  int events = 0;
  while (!chart->Observe(true))
    ++events;
  EXPECT_EQ(events, 3);  // 5 failures ≈ 3.47 nats ≥ 3, 4 ≈ 2.72 < 3
  EXPECT_TRUE(chart->alarmed());
  EXPECT_GE(chart->statistic(), chart->threshold());
  // The alarm stands until reset.
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(chart->Observe(false));
  chart->Reset();
  EXPECT_FALSE(chart->alarmed());
  EXPECT_EQ(chart->statistic(), 0);
}

TEST(BernoulliCusum, CertainOutOfControlFailureMeansRunsOfFailures) {
  // p0 ≥ 0.5 doubles to p1 = 1: any success resets S, and the alarm takes H failures in a row.
  const BernoulliCusum half = Solved(0.5);
  EXPECT_NEAR(half.threshold(), 9 * std::log(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(Arl(half, 0.5), 1022);  // (2^9 − 1) / (1 − 1/2)
  EXPECT_EQ(Arl(half, 1), 9);
  BernoulliCusum chart = half;
  for (int i = 0; i < 8; ++i)
    EXPECT_FALSE(chart.Observe(true));
  EXPECT_FALSE(chart.Observe(false));
  EXPECT_EQ(chart.statistic(), 0);
  for (int i = 0; i < 8; ++i)
    EXPECT_FALSE(chart.Observe(true));
  EXPECT_TRUE(chart.Observe(true));

  const double p0 = 0.7;
  const BernoulliCusum seventy = Solved(p0);
  const double run = std::round(seventy.threshold() / std::log(1 / p0));
  EXPECT_DOUBLE_EQ(Arl(seventy, p0), (std::pow(p0, -run) - 1) / (1 - p0));
  EXPECT_GE(Arl(seventy, p0), kTargetArl);
  std::mt19937_64 rng(70);
  EXPECT_NEAR(SimulatedRunLength(seventy, p0, 2000, rng), Arl(seventy, p0), 0.1 * Arl(seventy, p0));
}

TEST(BernoulliCusum, ZeroAllowedFailuresAlarmAtTheFirstFailure) {
  // DESIGN's p1 = min(1, 2·p0) is 0 here: no alternative to test against.
  EXPECT_EQ(BernoulliCusum::ForInControlArl(0, DoubledFailureRate(0), kTargetArl)
                .status()
                .details()["field"],
            "p1");
  auto chart = BernoulliCusum::ForInControlArl(0, 0.01, kTargetArl);
  ASSERT_TRUE(chart.ok()) << chart.status().ToString();
  EXPECT_EQ(chart->threshold(), kInfinity);
  EXPECT_EQ(Arl(*chart, 0), kInfinity);
  EXPECT_DOUBLE_EQ(Arl(*chart, 0.1), 10);
  for (int i = 0; i < 10000; ++i)
    ASSERT_FALSE(chart->Observe(false));
  EXPECT_TRUE(chart->Observe(true));
  EXPECT_EQ(chart->statistic(), kInfinity);
}

TEST(BernoulliCusum, RareFailuresAlarmAtTheFirstFailure) {
  // For p0 ≤ 1/1000 even the first failure comes later than 1,000 events on average.
  for (double p0 : {1e-3, 1e-4, 1e-6, 1e-13}) {
    const BernoulliCusum chart = Solved(p0);
    EXPECT_NEAR(chart.threshold(), std::log(2.0), 1e-3) << p0;
    EXPECT_NEAR(Arl(chart, p0), 1 / p0, 1e-6 / p0) << p0;
    EXPECT_NEAR(Arl(chart, chart.p1()), 0.5 / p0, 1e-6 / p0) << p0;
    BernoulliCusum copy = chart;
    for (int i = 0; i < 1000; ++i)
      ASSERT_FALSE(copy.Observe(false));
    EXPECT_TRUE(copy.Observe(true));
  }
  // Just above 1/1000 the next achievable ARL is that of two failures close together.
  const BernoulliCusum chart = Solved(0.002);
  EXPECT_GT(chart.threshold(), std::log(2.0));
  EXPECT_GE(Arl(chart, 0.002), kTargetArl);
}

TEST(BernoulliCusum, RejectsBadInput) {
  EXPECT_EQ(BernoulliCusum::Create(-0.1, 0.2, 3).status().details()["field"], "p0");
  EXPECT_EQ(BernoulliCusum::Create(1, 1, 3).status().details()["field"], "p0");
  EXPECT_EQ(BernoulliCusum::Create(kNaN, 0.2, 3).status().details()["field"], "p0");
  EXPECT_EQ(BernoulliCusum::Create(0.2, 0.2, 3).status().details()["field"], "p1");
  EXPECT_EQ(BernoulliCusum::Create(0.2, 1.1, 3).status().details()["field"], "p1");
  for (double threshold : {0.0, -1.0, kNaN, kInfinity, 1e300}) {
    EXPECT_EQ(BernoulliCusum::Create(0.1, 0.2, threshold).status().details()["field"], "threshold");
  }
  for (double target : {0.5, kNaN, kInfinity}) {
    EXPECT_EQ(BernoulliCusum::ForInControlArl(0.1, 0.2, target).status().details()["field"],
              "target_arl0");
  }
  auto chart = BernoulliCusum::Create(0.1, 0.2, 3);
  ASSERT_TRUE(chart.ok());
  for (double rate : {-0.1, 1.1, kNaN}) {
    EXPECT_EQ(chart->AverageRunLength(rate).status().details()["field"], "failure_rate");
  }
  // A threshold of a million grid units is a valid chart, but its exact ARL is out of reach.
  auto huge = BernoulliCusum::Create(0.001, 0.002, 1000);
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge->AverageRunLength(0.001).status().code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace pactum::stats
