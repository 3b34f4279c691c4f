#include "pactum/stats/sprt.h"

#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "nonfinite.h"

namespace pactum::stats {
namespace {

using testing::kInfinity;
using testing::kNaN;

using Decision = BernoulliSprt::Decision;

BernoulliSprt Make(double p0, double p1) {
  auto test = BernoulliSprt::Create(p0, p1);
  EXPECT_TRUE(test.ok()) << test.status().ToString();
  return *test;
}

struct Outcomes {
  double accept_h0 = 0;
  double accept_h1 = 0;
  double mean_events = 0;
};

// Runs the test to a decision `runs` times on events failing with `rate`.
Outcomes Simulate(BernoulliSprt test, double rate, int runs, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0, 1);
  Outcomes outcomes;
  for (int run = 0; run < runs; ++run) {
    test.Reset();
    Decision decision = Decision::kContinue;
    while (decision == Decision::kContinue)
      decision = test.Observe(uniform(rng) < rate);
    (decision == Decision::kAcceptH0 ? outcomes.accept_h0 : outcomes.accept_h1) += 1.0 / runs;
    outcomes.mean_events += static_cast<double>(test.events()) / runs;
  }
  return outcomes;
}

TEST(BernoulliSprt, WaldsThresholds) {
  const BernoulliSprt test = Make(0.05, 0.1);
  EXPECT_DOUBLE_EQ(test.accept_h1_at(), std::log(19.0));
  EXPECT_DOUBLE_EQ(test.accept_h0_at(), -std::log(19.0));
  auto asymmetric = BernoulliSprt::Create(0.05, 0.1, 0.01, 0.2);
  ASSERT_TRUE(asymmetric.ok());
  EXPECT_DOUBLE_EQ(asymmetric->accept_h1_at(), std::log(0.8 / 0.01));
  EXPECT_DOUBLE_EQ(asymmetric->accept_h0_at(), std::log(0.2 / 0.99));
}

TEST(BernoulliSprt, DecidesOnTheAccumulatedLikelihoodRatio) {
  const double p0 = 0.1, p1 = 0.2;
  BernoulliSprt test = Make(p0, p1);
  const double success = std::log((1 - p1) / (1 - p0));
  // Successes alone accept H0 once n·ln(8/9) ≤ −ln 19, at n = 25.
  const int needed = static_cast<int>(std::ceil(test.accept_h0_at() / success));
  EXPECT_EQ(needed, 25);
  for (int i = 1; i < needed; ++i)
    ASSERT_EQ(test.Observe(false), Decision::kContinue) << i;
  EXPECT_EQ(test.Observe(false), Decision::kAcceptH0);
  EXPECT_NEAR(test.log_likelihood_ratio(), needed * success, 1e-12);
  // The decision stands until reset.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(test.Observe(true), Decision::kAcceptH0);
  EXPECT_EQ(test.events(), needed);
  test.Reset();
  EXPECT_EQ(test.decision(), Decision::kContinue);
  EXPECT_EQ(test.events(), 0);
  EXPECT_EQ(test.log_likelihood_ratio(), 0);
  // Five failures: 5·ln 2 = 3.47 ≥ ln 19 = 2.94 (four give 2.77).
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(test.Observe(true), Decision::kContinue);
  EXPECT_EQ(test.Observe(true), Decision::kAcceptH1);
}

TEST(BernoulliSprt, ErrorRatesInSimulationAreNearAlphaAndBeta) {
  std::mt19937_64 rng(5);
  for (double p0 : {0.01, 0.05, 0.2}) {
    const double p1 = DoubledFailureRate(p0);
    const BernoulliSprt test = Make(p0, p1);
    // Wald: the error rates stay below α/(1−β) and β/(1−α) ≈ 0.053, and near them.
    const Outcomes good = Simulate(test, p0, 4000, rng);
    EXPECT_LT(good.accept_h1, 0.065) << p0;
    EXPECT_GT(good.accept_h1, 0.01) << p0;
    const Outcomes bad = Simulate(test, p1, 4000, rng);
    EXPECT_LT(bad.accept_h0, 0.065) << p0;
    EXPECT_GT(bad.accept_h0, 0.01) << p0;
    // Clearly good or bad data is decided right nearly always.
    EXPECT_GT(Simulate(test, p0 / 4, 1000, rng).accept_h0, 0.99) << p0;
    EXPECT_GT(Simulate(test, std::min(1.0, 4 * p0), 1000, rng).accept_h1, 0.99) << p0;
    EXPECT_GT(good.mean_events, 1) << p0;
  }
}

TEST(BernoulliSprt, ImpossibleEventsDecideAtOnce) {
  // p1 = 1: a success cannot happen under H1.
  BernoulliSprt certain = Make(0.6, DoubledFailureRate(0.6));
  EXPECT_EQ(certain.Observe(true), Decision::kContinue);
  EXPECT_EQ(certain.Observe(false), Decision::kAcceptH0);
  EXPECT_EQ(certain.log_likelihood_ratio(), -kInfinity);
  // p0 = 0: a failure cannot happen under H0.
  BernoulliSprt flawless = Make(0, 0.05);
  EXPECT_EQ(flawless.Observe(false), Decision::kContinue);
  EXPECT_EQ(flawless.Observe(true), Decision::kAcceptH1);
  flawless.Reset();
  int events = 1;
  while (flawless.Observe(false) == Decision::kContinue)
    ++events;
  EXPECT_EQ(flawless.decision(), Decision::kAcceptH0);
  EXPECT_EQ(events, static_cast<int>(std::ceil(std::log(19.0) / -std::log(0.95))));
}

TEST(BernoulliSprt, RejectsBadInput) {
  EXPECT_EQ(BernoulliSprt::Create(-1, 0.5).status().details()["field"], "p0");
  EXPECT_EQ(BernoulliSprt::Create(1, 1).status().details()["field"], "p0");
  EXPECT_EQ(BernoulliSprt::Create(0, DoubledFailureRate(0)).status().details()["field"], "p1");
  EXPECT_EQ(BernoulliSprt::Create(0.3, 0.2).status().details()["field"], "p1");
  EXPECT_EQ(BernoulliSprt::Create(0.1, 0.2, 0).status().details()["field"], "alpha");
  EXPECT_EQ(BernoulliSprt::Create(0.1, 0.2, kNaN).status().details()["field"], "alpha");
  EXPECT_EQ(BernoulliSprt::Create(0.1, 0.2, 0.05, 1).status().details()["field"], "beta");
  EXPECT_EQ(BernoulliSprt::Create(0.1, 0.2, 0.6, 0.5).status().details()["field"], "beta");
}

}  // namespace
}  // namespace pactum::stats
